import Plausible from "plausible-tracker";
import { planted, done, sleep } from "./_planted.js";

const plausible = Plausible({ domain: "portal.test", apiHost: "https://plausible.io", trackLocalhost: true });
plausible.trackPageview();
plausible.trackEvent("Appointment Requested", { props: {
  reason: planted.condition, email: planted.email, phone: planted.phone, email_sha256: planted.email_sha256 } });
sleep(2000).then(done);
