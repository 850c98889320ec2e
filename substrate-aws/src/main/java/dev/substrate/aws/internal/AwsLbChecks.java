package dev.substrate.aws.internal;

import dev.substrate.CheckResult;
import dev.substrate.ResourceKind;
import dev.substrate.SubstrateConfig;
import dev.substrate.spi.Check;
import dev.substrate.spi.Resources;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Set;

/** Doctor checks of the AWS Load Balancer Controller. */
final class AwsLbChecks {
  static final String CONTROLLER = "lb.aws.controller";

  private AwsLbChecks() {}

  /**
   * {@value #CONTROLLER}: the controller's Deployment ({@code kube-system/aws-load-balancer-controller}, the chart's
   * default, else one named or labelled so anywhere) exists and has ready replicas.
   */
  static Check controller(SubstrateConfig config, AwsSettings settings) {
    return Check.of(CONTROLLER, Set.of(ResourceKind.DEPLOYMENTS), snapshot -> {
      Deployment found = null;
      for (Deployment d : snapshot.list(ResourceKind.DEPLOYMENTS, Deployment.class)) {
        boolean named = Eks.LB_CONTROLLER.equals(d.getMetadata().getName())
            || Resources.label(d, "app.kubernetes.io/name").filter(Eks.LB_CONTROLLER::equals).isPresent();
        if (named && (found == null || Eks.LB_CONTROLLER_NAMESPACE.equals(d.getMetadata().getNamespace()))) {
          found = d;
        }
      }
      if (found == null) {
        return CheckResult.fail(CONTROLLER, "the AWS Load Balancer Controller is not installed (no Deployment "
            + Eks.LB_CONTROLLER + "), so LoadBalancer Services annotated " + AwsNlbProvider.PREFIX + "type: external "
            + "get no NLB", "helm install " + Eks.LB_CONTROLLER + " eks/" + Eks.LB_CONTROLLER + " -n "
            + Eks.LB_CONTROLLER_NAMESPACE + " --set clusterName=" + config.cluster().name().orElse("CLUSTER")
            + " --set serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn="
            + settings.lbControllerRoleArn().orElse("ROLE_ARN") + " (chart repository https://aws.github.io/eks-charts)");
      }
      int ready = found.getStatus() == null || found.getStatus().getReadyReplicas() == null ? 0
          : found.getStatus().getReadyReplicas();
      int desired = found.getSpec() == null || found.getSpec().getReplicas() == null ? 1 : found.getSpec().getReplicas();
      if (ready == 0) {
        return CheckResult.fail(CONTROLLER, "Deployment " + Resources.ref(found) + " has no ready replica (0 of "
            + desired + "), so no NLB is made or updated", "kubectl -n " + found.getMetadata().getNamespace()
            + " logs deploy/" + found.getMetadata().getName() + " (an IRSA role without the controller's IAM policy is "
            + "the usual cause)");
      }
      return CheckResult.pass(CONTROLLER, "the AWS Load Balancer Controller runs: Deployment " + Resources.ref(found)
          + " (" + ready + " of " + desired + " replicas ready)");
    });
  }
}
