#!/usr/bin/env bash
# Submits one neuroplastic job to Kubernetes in cluster mode, results on an object store:
#   deploy/kubernetes/submit.sh https://<api-server>:6443 <registry>/neuroplastic:<version> \
#     train --config s3a://bucket/conf/quickstart.yaml --out s3a://bucket/studies/q1
# Credentials for S3A come from the pods' environment or role (fs.s3a.aws.credentials.provider); add
# --conf settings (executor count, memory, fs.s3a.endpoint) through SPARK_SUBMIT_OPTS_EXTRA.
set -euo pipefail
if [[ $# -lt 3 ]]; then
  echo "usage: $0 <kubernetes api server URL> <image> <job> [job options...]" >&2
  exit 2
fi
api_server="$1"; image="$2"; shift 2
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec spark-submit \
  --master "k8s://$api_server" \
  --deploy-mode cluster \
  --name "neuroplastic-$1" \
  --properties-file "$here/../spark-defaults.conf" \
  --conf spark.kubernetes.container.image="$image" \
  --conf spark.kubernetes.authenticate.driver.serviceAccountName=spark \
  --conf spark.executor.instances=4 \
  ${SPARK_SUBMIT_OPTS_EXTRA:-} \
  --class org.neuroplastic.jobs.cli.Neuroplastic \
  local:///opt/neuroplastic/neuroplastic-jobs-app.jar "$@"
