import mixpanel from "mixpanel-browser";
import { planted, done, sleep } from "./_planted.js";

mixpanel.init("0f1e2d3c4b5a69788796a5b4c3d2e1f0", { batch_flush_interval_ms: 300, track_pageview: true });
mixpanel.identify("patient-1042");
mixpanel.people.set({ $email: planted.email, $phone: planted.phone });
mixpanel.track("Appointment Requested", { reason: planted.condition, email_sha256: planted.email_sha256 });
sleep(2000).then(done);
