#!/usr/bin/env bash
# The demo behind `make demo`: every cluster of fleet-repo-example as a real local member cluster
# (fake nodes, so Deployments become Ready), a fresh fleet repository made from the example,
# and the hub's loop until the fleet converges; then the placement, the status and where to look.
# Usage: hack/demo.sh BIN_DIR   (DEMO_ONCE=1 stops the clusters at the end)
set -euo pipefail
bin=$1
gitfleet=$bin/gitfleet
demo=$bin/demo
state=$demo/clusters
repo=$demo/fleet

"$gitfleet" validate --source fleet-repo-example
if [ -e "$state" ]; then "$gitfleet" dev down --state-dir "$state" >/dev/null 2>&1 || true; fi
rm -rf "$demo" && mkdir -p "$repo"

clusters=()
for f in fleet-repo-example/clusters/*.yaml; do clusters+=("$(basename "$f" .yaml)"); done
echo "starting ${#clusters[@]} member clusters with fake nodes: ${clusters[*]}"
"$gitfleet" dev up --clusters "$(IFS=,; echo "${clusters[*]}")" --workloads --nodes 2 --state-dir "$state" >/dev/null

# The fleet repository: the example, each Push cluster's apiEndpoint pointing at its local
# API server. Credentials stay outside Git, in the state directory (<cluster>.kubeconfig).
cp -r fleet-repo-example/. "$repo"/
for c in "${clusters[@]}"; do
  endpoint=$(awk '$1 == "server:" {print $2; exit}' "$state/$c.kubeconfig")
  sed -i "s#^\(  apiEndpoint:\).*#\1 $endpoint#" "$repo/clusters/$c.yaml"
done
git -C "$repo" init -q -b main
git -C "$repo" add -A
git -C "$repo" -c user.name=gitfleet-demo -c user.email=demo@gitfleet.invalid commit -q -m "Example fleet"

# The hub's loop, one cycle at a time, until two cycles in a row commit nothing. Pull clusters
# are synced by the hub too until their agents exist.
quiet=0
for cycle in $(seq 1 20); do
  out=$("$gitfleet" controller --repo "$repo" --credentials-dir "$state" --sync-pull-clusters --once 2>/dev/null)
  if grep -q "(changed: true)" <<<"$out"; then quiet=0; else quiet=$((quiet + 1)); fi
  echo "cycle $cycle: $(head -1 <<<"$out" | cut -c1-80) $(tail -1 <<<"$out")"
  [ "$quiet" -ge 2 ] && break
  sleep 2
done

echo
echo "== placement (gitfleet/rendered)"
"$gitfleet" render --repo "$repo" | tail -n +1
echo
echo "== status (gitfleet/status)"
"$gitfleet" status --repo "$repo"
echo
echo "Browse the branches:"
echo "  git -C $repo log --oneline --all"
echo "  git -C $repo show --stat gitfleet/rendered"
echo "  git -C $repo show gitfleet/status:render.yaml"
echo "  kubectl --kubeconfig $state/${clusters[0]}.kubeconfig get deploy -A"
if [ -n "${DEMO_ONCE:-}" ]; then
  "$gitfleet" dev down --state-dir "$state"
else
  echo "The clusters keep running; 'make demo-down' stops them."
fi
