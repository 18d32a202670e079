import Rollbar from "rollbar";
import { planted, done, sleep } from "./_planted.js";

const rollbar = new Rollbar({
  accessToken: "0123456789abcdef0123456789abcdef",
  captureUncaught: false,
  payload: { environment: "production", person: { id: "patient-1042", email: planted.email } },
});
rollbar.error(`Appointment request failed: ${planted.condition}`, { phone: planted.phone, email_sha256: planted.email_sha256 });
sleep(2000).then(done);
