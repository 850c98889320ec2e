/**
 * AWS: EKS nodes (EKS-optimised accelerated AMI, managed node groups, Karpenter), EBS and EFS storage, NLBs through
 * the AWS Load Balancer Controller. Used only through {@code META-INF/services}.
 */
package dev.substrate.aws;
