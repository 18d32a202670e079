import * as Sentry from "@sentry/browser";
import { planted, done, sleep } from "./_planted.js";

Sentry.init({
  dsn: "https://0123456789abcdef0123456789abcdef@o450000000000001.ingest.us.sentry.io/4500000000000002",
  defaultIntegrations: false,
  integrations: [Sentry.breadcrumbsIntegration(), Sentry.httpContextIntegration()],
});
Sentry.setUser({ id: "patient-1042", email: planted.email });
Sentry.setContext("patient", { phone: planted.phone, email_sha256: planted.email_sha256 });
Sentry.captureMessage(`Appointment request failed: ${planted.condition}`);
Sentry.flush(2000).then(() => sleep(500)).then(done);
