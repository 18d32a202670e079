import { newTracker, setUserId, trackPageView, trackSelfDescribingEvent } from "@snowplow/browser-tracker";
import { planted, done, sleep } from "./_planted.js";

// A self-hosted collector on the site's own domain: the case endpoint signatures are for.
// encodeBase64: the documented option (default for GET) that sends `cx` / `ue_px` as base64url.
newTracker("sp1", "https://sp.portal.test", { appId: "patient-portal", bufferSize: 1, encodeBase64: true });
setUserId(planted.email);
trackPageView({
  context: [{ schema: "iglu:test.portal/patient/jsonschema/1-0-0",
              data: { phone: planted.phone, email_sha256: planted.email_sha256 } }],
});
trackSelfDescribingEvent({
  event: { schema: "iglu:test.portal/appointment_requested/jsonschema/1-0-0",
           data: { reason: planted.condition } },
});
sleep(2000).then(done);
