import * as amplitude from "@amplitude/analytics-browser";
import { planted, done, sleep } from "./_planted.js";

amplitude.init("0123456789abcdef0123456789abcdef", "patient-1042", {
  flushIntervalMillis: 300,
  autocapture: { pageViews: true, sessions: false, formInteractions: false, fileDownloads: false,
                 elementInteractions: false, attribution: false },
});
const identify = new amplitude.Identify().set("email", planted.email).set("phone", planted.phone);
amplitude.identify(identify);
amplitude.track("Appointment Requested", { reason: planted.condition, email_sha256: planted.email_sha256 });
sleep(2000).then(done);
