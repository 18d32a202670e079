import Countly from "countly-sdk-web";
import { planted, done, sleep } from "./_planted.js";

// Self-hosted Countly server on the site's own domain (recognised by its endpoint signature).
Countly.init({ app_key: "0123456789abcdef0123456789abcdef01234567", url: "https://countly.portal.test",
               device_id: "patient-1042", interval: 300, session_update: 60 });
Countly.track_pageview();
Countly.user_details({ email: planted.email, phone: planted.phone, custom: { email_sha256: planted.email_sha256 } });
Countly.add_event({ key: "appointment_requested", segmentation: { reason: planted.condition } });
sleep(2500).then(done);
