# Learner run of step promote: runs `python3 promote.py` once for each registered model the check
# made for this grading (named, in a random order, in $ACADEMY_CHALLENGE/models.txt), with
# MODEL_NAME naming it. promote.py's own output goes to gate-<n>.log in the run folder; this script
# prints one line per model, ACADEMY_GATE=<n> <model name> <exit status> (checks/expectations.py).
# Runs as the learner because it runs their code.
n=0
while IFS= read -r model; do
  n=$((n + 1))
  MODEL_NAME="$model" timeout 8 python3 promote.py >"gate-$n.log" 2>&1 </dev/null
  echo "ACADEMY_GATE=$n $model $?"
done <"$ACADEMY_CHALLENGE/models.txt"
