#!/usr/bin/env bash
# The kubectl-only peer of `substrate doctor` in CliBenchmark: what a bash doctor must at least do, one
# `kubectl get -o json` per kind that substrate doctor reads on a Hetzner cluster (the same 9 kinds, all namespaces,
# kubectl's default pages of 500), with the checks' logic left out. Prints "Kubernetes API: N requests", counted from
# kubectl's -v=6 request log (discovery included).
# usage: kubectl-doctor.sh KUBECTL KUBECONFIG CACHE_DIR
set -euo pipefail

kubectl="$1" kubeconfig="$2" cache="$3"
kinds=(nodes storageclasses.storage.k8s.io persistentvolumes services deployments.apps daemonsets.apps
  customresourcedefinitions.apiextensions.k8s.io clusterpolicies.nvidia.com
  clustersecretstores.external-secrets.io)

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
for kind in "${kinds[@]}"; do
  "$kubectl" --kubeconfig "$kubeconfig" --cache-dir "$cache" -v=6 get "$kind" --all-namespaces -o json \
    >/dev/null 2>>"$log" || { grep -v '^I' "$log" >&2; exit 1; }
done
# kubectl <= 1.32 logs `GET http://... 200 OK in N milliseconds`; newer ones `"Response" verb="GET" url=...`.
echo "Kubernetes API: $(grep -cE '\] (GET|POST|PUT|PATCH|DELETE) https?://|"Response" verb=' "$log") requests"
