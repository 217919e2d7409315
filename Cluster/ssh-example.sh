#!/usr/bin/env bash
# A cluster run over ssh: the coordinator on this machine, workers on the hosts of a hostfile.
# Needs passwordless ssh (BatchMode) to every host and the plexus binary on each of them; the data
# only here. Extra arguments are plexus training flags, e.g.
#
#   Cluster/ssh-example.sh Cluster/hostfile.example --rule il --epochs 5
#
set -euo pipefail
HOSTFILE="${1:?usage: $0 HOSTFILE [training flags…]}"
shift
PLEXUS="${PLEXUS:-plexus}"                          # local binary
REMOTE_PLEXUS="${REMOTE_PLEXUS:-plexus}"            # binary on the worker hosts
ADVERTISE="${PLEXUS_ADVERTISE:-$(hostname --fqdn 2>/dev/null || hostname)}"   # how workers reach this host
RUN_DIR="${PLEXUS_RUN_DIR:-runs/ssh-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$RUN_DIR"

# --insecure: a trusted cluster network. Port 5555 must be open from the worker hosts to this one.
exec "$PLEXUS" launch --hostfile "$HOSTFILE" --remote-plexus "$REMOTE_PLEXUS" --advertise "$ADVERTISE" \
  --port "${PLEXUS_PORT:-5555}" --insecure \
  --metrics "$RUN_DIR/metrics.jsonl" --save "$RUN_DIR/final.ckpt" "$@"
