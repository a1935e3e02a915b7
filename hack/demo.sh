#!/usr/bin/env bash
# The demo behind `make demo`: every cluster of fleet-repo-example as a real local member cluster
# (fake nodes, so Deployments become Ready), a fresh fleet repository made from the example,
# and the hub's loop until the fleet converges; then the placement, the status and where to look.
# Push clusters are synced by the hub; each Pull cluster is run by its own `gitfleet agent`,
# started in the background, which applies its directory of gitfleet/rendered and reports to
# gitfleet/agents/<cluster> (logs and pids in BIN_DIR/demo/agents/).
# Then two failover scenes, with the hub running in the background (BIN_DIR/demo/hub.log):
# a Push cluster is drained with a NoExecute taint, and another one loses its API server; each
# prints, as they land in Git, the taint, the eviction, the new placement and the clean-up.
# Usage: hack/demo.sh BIN_DIR   (DEMO_ONCE=1 stops the agents and the clusters at the end;
# DEMO_FAILOVER=0 skips the failover scenes; DEMO_SCENE_TIMEOUT bounds each scene, 180 seconds)
set -euo pipefail
bin=$1
gitfleet=$bin/gitfleet
demo=$bin/demo
state=$demo/clusters
repo=$demo/fleet

agents=$demo/agents
hub_pid=$demo/hub.pid

# stop_pid stops the process a pid file names, and removes the file.
stop_pid() {
  local f=$1 pid
  [ -e "$f" ] || return 0
  pid=$(cat "$f")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$f"
}

# stop_agents stops the agents this demo (or a previous one) started, by their pid files.
stop_agents() {
  local f
  for f in "$agents"/*.pid; do stop_pid "$f"; done
}

# The hub of the failover scenes runs only while the script does.
cleanup() {
  stop_pid "$hub_pid"
  # DEMO_ONCE=1: whatever happens, leave no agent and no cluster behind.
  if [ -n "${DEMO_ONCE:-}" ]; then
    stop_agents
    if [ -e "$state" ]; then "$gitfleet" dev down --state-dir "$state"; fi
  fi
}

"$gitfleet" validate --source fleet-repo-example
stop_pid "$hub_pid"
stop_agents
if [ -e "$state" ]; then "$gitfleet" dev down --state-dir "$state" >/dev/null 2>&1 || true; fi
trap cleanup EXIT
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
# ---------------------------------------------------------------------------------------------
# Failover. The hub now runs as it would in production, one cycle every 2s in the background:
# the health monitor counts a silent cluster's grace period in the hub's memory, which
# `controller --once` per cycle would forget. (--lease=false: this is the only hub.)
#
# Scene 1 drains a Push cluster with a NoExecute taint; scene 2 stops another Push cluster's
# API server. Each watches main, gitfleet/status and gitfleet/rendered and prints every commit
# that matters, with seconds since the scene started: the taint, the eviction task the hub
# decides (decisions/evictions.yaml, one line per decision in the status commit's message),
# the new placement of one Deployment (its binding's spec.clusters; the evicted cluster's
# directory keeps the old copy while the task lasts), the task's retirement once the new
# clusters report the workload Healthy, and the render where the old copy is gone.
#
# The clusters, from the example: aws-use1-prod runs checkout/checkout, a Divided Deployment
# (primary affinity us-east: aws-use1-prod and the Pull cluster gcp-use4-prod), so draining it
# moves checkout's replicas to gcp-use4-prod; aws-euw1-prod runs payments/payments-api, Divided
# and Aggregated onto one of the two PCI clusters (aws-euw1-prod, aws-use1-prod), so losing it
# moves payments-api wholesale to aws-use1-prod — which is why scene 1 lifts its taint at the
# end. Both are env=prod, so fleet/cluster-taint-policy.yaml taints a lost one NoExecute.
drain_cluster=aws-use1-prod drain_ns=checkout drain_name=checkout
lost_cluster=aws-euw1-prod lost_ns=payments lost_name=payments-api
scene_timeout=${DEMO_SCENE_TIMEOUT:-180}

git_() { git -C "$repo" "$@"; }

# yaml_items KEY FIELD...: for each item of the first YAML list under KEY on stdin, the values of
# the FIELDs (the first occurrence at any depth inside the item, "-" when absent), one line per
# item. Enough for the files gitfleet writes; not a YAML parser.
yaml_items() {
  local key=$1
  shift
  awk -v key="$key" -v fields="$*" '
    function indent(s) { match(s, /^ */); return RLENGTH }
    function flush(  i, line) {
      if (!open) return
      line = ""
      for (i = 1; i <= nf; i++) line = line (i > 1 ? " " : "") (f[i] in v ? v[f[i]] : "-")
      print line
      split("", v)
      open = 0
    }
    BEGIN { nf = split(fields, f, " ") }
    state == 0 { if ($0 ~ "^ *" key ":$") state = 1; next }
    /^ *$/ { next }
    {
      ind = indent($0); rest = substr($0, ind + 1)
      if (state == 1) { if (rest !~ /^- /) exit; item = ind; state = 2 }
      if (ind < item || (ind == item && rest !~ /^- /)) exit
      if (ind == item) { flush(); open = 1; rest = substr(rest, 3) } else sub(/^- /, "", rest)
      k = rest; sub(/:.*/, "", k)
      val = rest
      if (!sub(/^[^:]*: */, "", val)) next
      gsub(/["\047]/, "", val)
      if (!(k in v)) v[k] = val
    }
    END { flush() }'
}

# What one commit says about the scene's cluster and Deployment.
ready_of() { # REV CLUSTER
  git_ show "$1:clusters/$2.yaml" 2>/dev/null | yaml_items conditions type status reason |
    awk '$1 == "Ready" { print $2 ($3 != "-" ? " (" $3 ")" : ""); exit }' || true
}
taints_of() { # REV CLUSTER
  git_ show "$1:decisions/taints.yaml" 2>/dev/null | awk -v c="$2" '$1 == "-" && $2 == "cluster:" { on = ($3 == c) } on' |
    yaml_items taints key value effect reason |
    awk '{ t = $1 ($2 != "-" ? "=" $2 : "") ":" $3 " (" $4 ")"; out = out (NR > 1 ? ", " : "") t } END { print out }' || true
}
placement_of() { # REV NS NAME
  git_ show "$1:bindings/$2/apps.deployment.$3.yaml" 2>/dev/null | yaml_items clusters name replicas |
    awk '{ out = out (NR > 1 ? " " : "") $1 ":" $2 } END { print out }' || true
}
tasks_of() { # REV NS NAME
  git_ show "$1:bindings/$2/apps.deployment.$3.yaml" 2>/dev/null | yaml_items gracefulEvictionTasks fromCluster |
    awk '{ out = out (NR > 1 ? " " : "") $1 } END { print out }' || true
}
has_copy() { # REV CLUSTER NS NAME
  git_ cat-file -e "$1:karmada-es-$2/$3/apps.deployment.$4.yaml" 2>/dev/null
}
applied_of() { # REV CLUSTER
  git_ show "$1:clusters/$2/sync.yaml" 2>/dev/null | awk '$1 == "appliedCommit:" { print $2; exit }' || true
}

# Scene state: the cluster, the Deployment followed, what has been seen, and where each ref was.
sc_mode= sc_cluster= sc_ns= sc_name= sc_t0=0 gone_commit=
declare -A seen=() last=()

event() { # REF COMMIT TEXT
  printf '  %4ss  %-8s %-8s %s\n' "$(($(date +%s) - sc_t0))" "$1" "${2:0:8}" "$3"
}

on_main() { event main "$1" "$(git_ log -1 --format=%s "$1")"; }

on_rendered() {
  local c=$1 old new ot nt note=
  old=$(placement_of "$c^" "$sc_ns" "$sc_name") new=$(placement_of "$c" "$sc_ns" "$sc_name")
  if [ "$old" != "$new" ]; then
    if has_copy "$c" "$sc_cluster" "$sc_ns" "$sc_name" && [[ " $new" != *" $sc_cluster:"* ]]; then
      note=" (the old copy stays in karmada-es-$sc_cluster/)"
    fi
    event rendered "$c" "placement of Deployment $sc_ns/$sc_name: ${old:-none} -> ${new:-none}$note"
    [[ " $new" == *" $sc_cluster:"* ]] || seen[move]=1
  fi
  ot=$(tasks_of "$c^" "$sc_ns" "$sc_name") nt=$(tasks_of "$c" "$sc_ns" "$sc_name")
  if [ "$ot" != "$nt" ]; then
    event rendered "$c" "gracefulEvictionTasks of its binding: from ${nt:-none} (before: ${ot:-none})"
  fi
  if has_copy "$c^" "$sc_cluster" "$sc_ns" "$sc_name" && ! has_copy "$c" "$sc_cluster" "$sc_ns" "$sc_name"; then
    event rendered "$c" "old copy gone: karmada-es-$sc_cluster/$sc_ns/apps.deployment.$sc_name.yaml removed"
    seen[gone]=1 gone_commit=$c
  fi
}

# others WHAT "KIND NS/NAME"...: one line for the evictions of the other templates: how many,
# and which Deployments.
others() {
  local what=$1 deployments
  shift
  deployments=$(printf '%s\n' "$@" | awk '$1 == "Deployment" { printf "%s%s", (n++ ? ", " : ""), $2 }')
  echo "and $# more evictions from $sc_cluster $what (Services, CRDs, ...${deployments:+; Deployments: $deployments})"
}

on_status() {
  local c=$1 old new line applied
  local -a others_created=() others_retired=()
  old=$(ready_of "$c^" "$sc_cluster") new=$(ready_of "$c" "$sc_cluster")
  if [ "$old" != "$new" ]; then
    event status "$c" "Ready of $sc_cluster: ${old:-none} -> ${new:-none}"
    [[ $new != Unknown* ]] || seen[unknown]=1
  fi
  old=$(taints_of "$c^" "$sc_cluster") new=$(taints_of "$c" "$sc_cluster")
  if [ "$old" != "$new" ]; then
    event status "$c" "taints decided for $sc_cluster (decisions/taints.yaml): ${new:-none}"
    [ -z "$new" ] || seen[taint]=1
  fi
  # The decisions of the commit, one message line each: the Deployment's in full, the others
  # (its Service, the other workloads) by name.
  while IFS= read -r line; do
    case $line in
    "apps/v1 Deployment $sc_ns/$sc_name from $sc_cluster: "*)
      line=${line#apps/v1 }
      event status "$c" "${line:0:200}"
      case $line in
      *": created "*) seen[evict]=1 ;;
      *": retired"*) seen[retire]=1 ;;
      esac
      ;;
    *" from $sc_cluster: created"*) others_created+=("$(awk '{print $2 " " $3}' <<<"$line")") ;;
    *" from $sc_cluster: retired"*) others_retired+=("$(awk '{print $2 " " $3}' <<<"$line")") ;;
    esac
  done < <(git_ log -1 --format=%b "$c")
  [ "${#others_created[@]}" -eq 0 ] || event status "$c" "$(others "created" "${others_created[@]}")"
  [ "${#others_retired[@]}" -eq 0 ] || event status "$c" "$(others "retired" "${others_retired[@]}")"
  # A drained cluster is still reachable: the hub prunes the old copy from it once it has
  # applied the render without it.
  if [ "$sc_mode" = drain ] && [ -n "${seen[gone]:-}" ] && [ -z "${seen[pruned]:-}" ]; then
    applied=$(applied_of "$c" "$sc_cluster")
    if [ -n "$applied" ] && git_ merge-base --is-ancestor "$gone_commit" "$applied" 2>/dev/null; then
      event status "$c" "$sc_cluster synced to rendered ${applied:0:8}: the hub pruned the old copy from the cluster"
      seen[pruned]=1
    fi
  fi
}

# poll prints the commits that landed on the three refs since the last poll, in the order they
# follow from each other: main's first; then each status commit, and after it the renders made
# with it (a rendered commit names its status commit in its Status-Commit trailer; its own
# time is the source commit's, so it cannot order it).
poll() {
  local r tip sha s
  local -A new=() after=()
  local -a first=()
  for r in main gitfleet/rendered gitfleet/status; do
    new[$r]=
    tip=$(git_ rev-parse -q --verify "refs/heads/$r" 2>/dev/null) || continue
    [ "${last[$r]:-}" != "$tip" ] || continue
    new[$r]=$(git_ rev-list --reverse "${last[$r]:+${last[$r]}..}$tip")
    last[$r]=$tip
  done
  for sha in ${new[main]}; do on_main "$sha"; done
  for sha in ${new[gitfleet/rendered]}; do
    s=$(git_ log -1 --format=%b "$sha" | awk '$1 == "Status-Commit:" { print $2; exit }')
    if [ -n "$s" ] && grep -qx "$s" <<<"${new[gitfleet/status]}"; then
      after[$s]+=" $sha"
    else
      first+=("$sha")
    fi
  done
  for sha in ${first[@]+"${first[@]}"}; do on_rendered "$sha"; done
  for s in ${new[gitfleet/status]}; do
    on_status "$s"
    for sha in ${after[$s]:-}; do on_rendered "$sha"; done
  done
}

# scene_begin MODE CLUSTER NS NAME: the refs' current commits are the starting point.
scene_begin() {
  sc_mode=$1 sc_cluster=$2 sc_ns=$3 sc_name=$4 sc_t0=$(date +%s) gone_commit=
  seen=()
  local r
  for r in main gitfleet/rendered gitfleet/status; do last[$r]=$(git_ rev-parse -q --verify "refs/heads/$r" || true); done
  local p
  p=$(placement_of gitfleet/rendered "$sc_ns" "$sc_name")
  echo "  before: Deployment $sc_ns/$sc_name on ${p:-no cluster}, Ready of $sc_cluster: $(ready_of gitfleet/status "$sc_cluster")"
}

# scene_watch WANTED...: polls every second until every WANTED event has been seen, for at most
# scene_timeout seconds; on a timeout, or when the hub has died, says what is missing.
scene_watch() {
  local missing w
  while :; do
    poll
    missing=
    for w in "$@"; do [ -n "${seen[$w]:-}" ] || missing+=" $w"; done
    if [ -z "$missing" ]; then
      echo "  scene done in $(($(date +%s) - sc_t0))s"
      return 0
    fi
    if ! kill -0 "$(cat "$hub_pid")" 2>/dev/null; then
      echo "  the hub has exited; last lines of $demo/hub.log:" >&2
      tail -5 "$demo/hub.log" >&2
      return 1
    fi
    if [ $(($(date +%s) - sc_t0)) -ge "$scene_timeout" ]; then
      echo "  TIMED OUT after ${scene_timeout}s, still waiting for:$missing" >&2
      echo "  (what each means: taint = a decided taint, evict/retire = the Deployment's eviction task" >&2
      echo "  created/retired on gitfleet/status, move = a render without $sc_cluster, gone = the old" >&2
      echo "  copy's removal from the render, pruned = the hub applying that render to $sc_cluster)" >&2
      echo "  last lines of $demo/hub.log:" >&2
      tail -5 "$demo/hub.log" | cut -c1-300 >&2
      return 1
    fi
    sleep 1
  done
}

# scene_after: where the Deployment runs now, from Git alone.
scene_after() {
  local p
  p=$(placement_of gitfleet/rendered "$sc_ns" "$sc_name")
  echo "  after: Deployment $sc_ns/$sc_name on ${p:-no cluster} (gitfleet/rendered);" \
    "reported by the clusters (gitfleet/status):"
  git_ show "gitfleet/status:resources/$sc_ns/apps.deployment.$sc_name.yaml" 2>/dev/null |
    yaml_items aggregatedStatus clusterName health readyReplicas |
    awk '{ printf "    %-16s %-10s ready replicas: %s\n", $1, $2, $3 }' || true
  if [ "$sc_mode" = lost ]; then
    echo "    ($sc_cluster's line is the last report the hub got from it; the hub cannot reach it to prune the old copy)"
  fi
  echo "  gitfleet status, the lines about them:"
  "$gitfleet" status --repo "$repo" 2>/dev/null |
    awk -v c="$sc_cluster" -v t="Deployment/$sc_ns/$sc_name" '$1 == "CLUSTER" || $1 == "TEMPLATE" || $1 == c || $1 == t { print "    " $0 }' |
    cut -c1-180 || true
}

# wait_rendered: waits (at most 60s) until the hub has rendered main's head.
wait_rendered() {
  local head i
  head=$(git_ rev-parse main)
  for i in $(seq 60); do
    [ "$(git_ show gitfleet/status:render.yaml 2>/dev/null | awk '$1 == "sourceCommit:" { print $2 }')" != "$head" ] || return 0
    sleep 1
  done
  echo "  the hub did not render main's head ${head:0:8} within 60s" >&2
  return 1
}

failover() {
  local c grace out
  for c in "$drain_cluster" "$lost_cluster"; do
    if [[ " ${push[*]} " != *" $c "* ]]; then
      echo "failover: $c is not a Push cluster of the example; the scenes need to be adapted" >&2
      return 1
    fi
  done
  [[ " $(placement_of gitfleet/rendered "$drain_ns" "$drain_name") " == *" $drain_cluster:"* ]] || {
    echo "failover: Deployment $drain_ns/$drain_name is not placed on $drain_cluster; the scenes need to be adapted" >&2
    return 1
  }
  # gitfleet commits only to branches no work tree has checked out: leave main to it.
  git_ checkout -q --detach
  "$gitfleet" controller --repo "$repo" --credentials-dir "$state" --interval 2s --lease=false >"$demo/hub.log" 2>&1 &
  echo $! >"$hub_pid"
  echo "started the hub in the background: one cycle every 2s (log: $demo/hub.log)"

  echo
  echo "== failover 1: drain $drain_cluster with a NoExecute taint"
  scene_begin drain "$drain_cluster" "$drain_ns" "$drain_name"
  "$gitfleet" taint "$drain_cluster" maintenance=drain:NoExecute --repo "$repo" >/dev/null || return 1
  scene_watch evict move retire gone pruned || return 1
  scene_after
  "$gitfleet" taint "$drain_cluster" maintenance- --repo "$repo" >/dev/null || return 1
  echo "  maintenance over: removed the taint ($(git_ rev-parse --short=8 main)), so $drain_cluster takes workloads again"
  wait_rendered || return 1
  echo "  rendered: Deployment $drain_ns/$drain_name is on $(placement_of gitfleet/rendered "$drain_ns" "$drain_name")"

  grace=$(awk '$1 == "clusterMonitorGracePeriod:" { print $2 }' "$repo/gitfleet.yaml")
  echo
  echo "== failover 2: $lost_cluster loses its API server (Ready turns Unknown after ${grace:-the grace period} without contact)"
  scene_begin lost "$lost_cluster" "$lost_ns" "$lost_name"
  out=$("$gitfleet" dev stop-apiserver --state-dir "$state" --cluster "$lost_cluster" 2>&1) || {
    echo "  $out" >&2
    return 1
  }
  event dev - "$out"
  scene_watch unknown taint evict move retire gone || return 1
  scene_after
  echo "  $lost_cluster's API server stays stopped; the rest of its cluster, and the other clusters, keep running"
}

failed=
if [ -n "$done" ] && [ "${DEMO_FAILOVER:-1}" != 0 ]; then
  echo
  echo "== failover (the hub in the background; scenes bounded by ${scene_timeout}s each)"
  failover_t0=$(date +%s)
  if failover; then
    echo
    echo "failover scenes done in $(($(date +%s) - failover_t0))s"
  else
    failed=1
    echo "failover: a scene did not complete (see above)" >&2
  fi
  stop_pid "$hub_pid"
fi

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
echo "The failover's decisions, one line each, in the status commits' messages:"
echo "  git -C $repo log --format='%h %s%n%b' gitfleet/status -- decisions/"
if [ -z "${DEMO_ONCE:-}" ]; then
  echo "The clusters and the agents keep running; 'make demo-down' stops them."
fi
[ -n "$done" ] && [ -z "$failed" ]
