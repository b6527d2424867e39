-- wrk script: POST GetService with a JSON body; the service id comes from the environment.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
wrk.body = '{"id":"' .. os.getenv("SERVICE_ID") .. '"}'
