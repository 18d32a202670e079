import { AnalyticsBrowser } from "@segment/analytics-next";
import { planted, done, sleep } from "./_planted.js";

const analytics = AnalyticsBrowser.load({ writeKey: "PGfixtureWriteKey0123456789abcd" });
analytics.page();
analytics.identify("patient-1042", { email: planted.email, phone: planted.phone });
analytics.track("Appointment Requested", { reason: planted.condition, email_sha256: planted.email_sha256 });
sleep(2500).then(done);
