import { ApplicationInsights } from "@microsoft/applicationinsights-web";
import { planted, done, sleep } from "./_planted.js";

const appInsights = new ApplicationInsights({ config: {
  connectionString: "InstrumentationKey=0f1e2d3c-4b5a-4697-8887-96a5b4c3d2e1;IngestionEndpoint=https://eastus-8.in.applicationinsights.azure.com/",
  maxBatchInterval: 500, disableAjaxTracking: true, disableFetchTracking: true,
} });
appInsights.loadAppInsights();
appInsights.trackPageView();
appInsights.setAuthenticatedUserContext("patient-1042");
appInsights.trackEvent({ name: "appointment_requested" },
  { reason: planted.condition, email: planted.email, phone: planted.phone, email_sha256: planted.email_sha256 });
appInsights.flush();
sleep(2000).then(done);
