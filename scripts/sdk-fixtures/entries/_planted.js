// What the capture page planted (window.PLANTED, written by capture_sdk_fixtures.py), and a
// way for an entry to say it has sent everything it will send.
export const planted = window.PLANTED;

export function done() {
  window.__pgDone = true;
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
