import { BrowserAgent } from "@newrelic/browser-agent/loaders/browser-agent";
import { planted, done, sleep } from "./_planted.js";

const agent = new BrowserAgent({
  init: { ajax: { deny_list: [] }, harvest: { interval: 2 }, privacy: { cookies_enabled: false } },
  info: { beacon: "bam.nr-data.net", errorBeacon: "bam.nr-data.net",
          licenseKey: "NRJS-0123456789abcdef012", applicationID: "601234567", sa: 1 },
  loader_config: { accountID: "3012345", trustKey: "3012345", agentID: "601234567",
                   licenseKey: "NRJS-0123456789abcdef012", applicationID: "601234567" },
});
agent.setUserId(planted.email);
agent.setCustomAttribute("phone", planted.phone);
agent.addPageAction("appointment_requested", { reason: planted.condition, email_sha256: planted.email_sha256 });
fetch(`/api/appointments?reason=${encodeURIComponent(planted.condition)}`).catch(() => {});
sleep(6000).then(done);
