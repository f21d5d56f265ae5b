set -e
export HELAMEM_DATA_DIR="${OUT:?output folder}"/data HELAMEM_OPERATOR_KEY=op-fixture-key-0123456789abcdef
"${SILO:?path to the HelaMem.Silo executable of release 25d8dea}" --urls http://127.0.0.1:5099 > silo.log 2>&1 &
PID=$!
for i in $(seq 60); do curl -sf http://127.0.0.1:5099/health/ready >/dev/null 2>&1 && break; sleep 0.5; done
U=http://127.0.0.1:5099
KEY=$(curl -s -X POST $U/v1/admin/tenants -H "Authorization: Bearer $HELAMEM_OPERATOR_KEY" -H 'Content-Type: application/json' -d '{"name":"fixture"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["apiKey"])')
echo "$KEY" > apikey
H=(-H "Authorization: Bearer $KEY" -H 'Content-Type: application/json')
curl -s -X POST $U/v1/users/alice/messages "${H[@]}" -d '{"messages":[{"content":"I adopted a dog named Rex last spring","speaker":"Alice","metadata":{"dia_id":"D1:1"}},{"content":"Rex loves the beach near Santa Cruz","speaker":"Alice"},{"content":"That sounds lovely, how old is Rex?","speaker":"Bob"},{"content":"He is three years old and very energetic","speaker":"Alice"},{"content":"I started painting watercolours in March","speaker":"Alice"},{"content":"My sister Carol visits every summer from Denver","speaker":"Alice"}]}' ; echo
curl -s -X POST $U/v1/users/bob/messages "${H[@]}" -d '{"messages":[{"content":"I run marathons and my best time is 3 hours 10 minutes","speaker":"Bob"},{"content":"Next race is in Berlin in September","speaker":"Bob"}]}'; echo
for q in "what is the dog called?" "where does Rex like to go?" "who visits in summer?" "what is the dog called?"; do curl -s -X POST $U/v1/users/alice/search "${H[@]}" -d "{\"query\":\"$q\",\"topK\":5}" | head -c 200; echo; done
curl -s -X POST $U/v1/users/alice/consolidate "${H[@]}" -d '{}'; echo
curl -s $U/v1/users/alice/stats "${H[@]}"; echo
sleep 2
kill -TERM $PID; wait $PID || true
