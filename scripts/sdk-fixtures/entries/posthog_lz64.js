import posthog from "posthog-js-lz64";
import { planted, done, sleep } from "./_planted.js";

posthog.init("phc_pixelguardFixtureToken0000000000000000000", {
  api_host: "https://us.i.posthog.com",
  autocapture: false,
  disable_session_recording: true,
  request_batching: false, persistence: "memory",
});
posthog.identify("patient-1042", { email: planted.email, phone: planted.phone });
posthog.capture("appointment_requested", { reason: planted.condition, email_sha256: planted.email_sha256 });
sleep(3000).then(done);
