-- wrk script for the token issuance figure (bench/harness.py): every request is
-- POST /api/v1/get-api-token with the Magnit-style JSON body of one key (docs/api.md).
-- The body holds a Client Secret, so it comes from the environment, never a command line.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = os.getenv("KG_BENCH_TOKEN_BODY")
assert(wrk.body, "KG_BENCH_TOKEN_BODY is not set")
