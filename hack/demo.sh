#!/usr/bin/env bash
# The demo behind `make demo`: every cluster of fleet-repo-example as a real local member cluster
# (fake nodes, so Deployments become Ready), a fresh fleet repository made from the example,
# and the hub's loop until the fleet converges; then the placement, the status and where to look.
# Push clusters are synced by the hub; each Pull cluster is run by its own `gitfleet agent`,
# started in the background, which applies its directory of gitfleet/rendered and reports to
# gitfleet/agents/<cluster> (logs and pids in BIN_DIR/demo/agents/).
# Usage: hack/demo.sh BIN_DIR   (DEMO_ONCE=1 stops the agents and the clusters at the end)
set -euo pipefail
bin=$1
gitfleet=$bin/gitfleet
demo=$bin/demo
state=$demo/clusters
repo=$demo/fleet

agents=$demo/agents

# stop_agents stops the agents this demo (or a previous one) started, by their pid files.
stop_agents() {
  local f pid
  for f in "$agents"/*.pid; do
    [ -e "$f" ] || continue
    pid=$(cat "$f")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$f"
  done
}

"$gitfleet" validate --source fleet-repo-example
stop_agents
if [ -e "$state" ]; then "$gitfleet" dev down --state-dir "$state" >/dev/null 2>&1 || true; fi
# DEMO_ONCE=1: whatever happens, leave no agent and no cluster behind.
if [ -n "${DEMO_ONCE:-}" ]; then
  trap 'stop_agents; if [ -e "$state" ]; then "$gitfleet" dev down --state-dir "$state"; fi' EXIT
fi
rm -rf "$demo" && mkdir -p "$repo"

clusters=() push=() pull=()
for f in fleet-repo-example/clusters/*.yaml; do
  c=$(basename "$f" .yaml)
  clusters+=("$c")
  if [ "$(awk '$1 == "syncMode:" {print $2; exit}' "$f")" = Pull ]; then pull+=("$c"); else push+=("$c"); fi
done
echo "starting ${#clusters[@]} member clusters with fake nodes: ${clusters[*]}"
echo "  Push (synced by the hub):  ${push[*]:-none}"
echo "  Pull (synced by agents):   ${pull[*]:-none}"
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

# One agent per Pull cluster, in the background, as it would run in (or next to) its cluster:
# it reads the rendered ref from the fleet repository and pushes its reports there. Until the
# hub has rendered, it reports that there is nothing to apply yet.
mkdir -p "$agents"
for c in "${pull[@]}"; do
  "$gitfleet" agent --cluster "$c" --repo "$repo" --kubeconfig "$state/$c.kubeconfig" --interval 3s \
    >"$agents/$c.log" 2>&1 &
  echo $! >"$agents/$c.pid"
done
echo "started ${#pull[@]} agents for the Pull clusters (logs: $agents/<cluster>.log)"

# converged: every cluster is Ready and its sync.yaml on the status ref records the current
# rendered commit as applied; a Pull cluster must also have pushed a report (the hub folds the
# reports into gitfleet/status, and applies nothing to Pull clusters itself).
converged() {
  local rendered table c applied
  rendered=$(git -C "$repo" rev-parse -q --verify refs/heads/gitfleet/rendered) || return 1
  table=$("$gitfleet" status --repo "$repo" 2>/dev/null) || return 1
  for c in "${clusters[@]}"; do
    [ "$(awk -v c="$c" '$1 == c {print $2; exit}' <<<"$table")" = True ] || return 1
    applied=$(git -C "$repo" show "gitfleet/status:clusters/$c/sync.yaml" 2>/dev/null | awk '$1 == "appliedCommit:" {print $2}')
    [ "$applied" = "$rendered" ] || return 1
  done
  for c in "${pull[@]}"; do
    git -C "$repo" rev-parse -q --verify "refs/heads/gitfleet/agents/$c" >/dev/null || return 1
  done
}

# The hub's loop, one cycle at a time (it syncs the Push clusters and folds the agents'
# reports), until two cycles in a row commit nothing after the whole fleet has converged.
quiet=0 done=
for cycle in $(seq 1 40); do
  out=$("$gitfleet" controller --repo "$repo" --credentials-dir "$state" --once 2>/dev/null)
  ready=no
  if converged; then ready=yes; fi
  if grep -q "(changed: true)" <<<"$out" || [ "$ready" = no ]; then quiet=0; else quiet=$((quiet + 1)); fi
  echo "cycle $cycle: $(head -1 <<<"$out" | cut -c1-80) $(tail -1 <<<"$out") (converged: $ready)"
  if [ "$quiet" -ge 2 ]; then done=1; break; fi
  sleep 3
done
if [ -z "$done" ]; then
  echo "the fleet did not converge within $cycle cycles; status and the agents' last log lines:" >&2
  "$gitfleet" status --repo "$repo" >&2 || true
  for c in "${pull[@]}"; do echo "-- $agents/$c.log" >&2; tail -3 "$agents/$c.log" >&2; done
fi

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
if [ "${#pull[@]}" -gt 0 ]; then
  echo "An agent's last report (Pull cluster ${pull[0]}), and what the hub folded from it:"
  echo "  git -C $repo show gitfleet/agents/${pull[0]}:report.yaml"
  echo "  git -C $repo show gitfleet/status:clusters/${pull[0]}/sync.yaml"
  echo "  tail $agents/${pull[0]}.log"
fi
if [ -z "${DEMO_ONCE:-}" ]; then
  echo "The clusters and the agents keep running; 'make demo-down' stops them."
fi
[ -n "$done" ]
