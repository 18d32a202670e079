import Bugsnag from "@bugsnag/browser";
import { planted, done, sleep } from "./_planted.js";

Bugsnag.start({ apiKey: "0123456789abcdef0123456789abcdef", autoTrackSessions: true });
Bugsnag.setUser("patient-1042", planted.email);
Bugsnag.notify(new Error(`Appointment request failed: ${planted.condition}`), (event) => {
  event.addMetadata("patient", { phone: planted.phone, email_sha256: planted.email_sha256 });
});
sleep(2000).then(done);
