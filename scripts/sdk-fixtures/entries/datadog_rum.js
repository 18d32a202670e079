import { datadogRum } from "@datadog/browser-rum";
import { planted, done, sleep } from "./_planted.js";

datadogRum.init({
  applicationId: "0f1e2d3c-4b5a-4697-8887-96a5b4c3d2e1",
  clientToken: "pub0123456789abcdef0123456789abcdef",
  site: "datadoghq.com",
  service: "patient-portal",
  sessionSampleRate: 100,
  sessionReplaySampleRate: 0,
  trackUserInteractions: true,
});
datadogRum.setUser({ id: "patient-1042", email: planted.email, phone: planted.phone });
datadogRum.addAction("appointment_requested", { reason: planted.condition, email_sha256: planted.email_sha256 });
// The SDK sends its batch after 30 s (or when the page is left, which headless Chromium does
// not always report): the capture script waits that long.
sleep(1500).then(done);
