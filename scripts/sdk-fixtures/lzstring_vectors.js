// Test vectors for pixelguard's lz-string port (pixelguard_addon/decoders/lzstring.py),
// produced by the real npm `lz-string` package:
//   node scripts/sdk-fixtures/lzstring_vectors.js > tests/data/decoders/lzstring_vectors.json
const LZString = require("lz-string");

const inputs = [
  "a",
  "hello",
  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  "HIV PrEP",
  "TOBEORNOTTOBEORTOBEORNOT",
  '[{"event":"$pageview","properties":{"$current_url":"http://portal.test/conditions/hiv-prep","reason":"HIV PrEP"}}]',
  "Ünïcödé — 中文 — emoji 🩺💊 and a lone é",
  "x".repeat(2000) + "y".repeat(100),
  Array.from({ length: 300 }, (_, i) => String.fromCharCode(32 + ((i * 7919) % 95))).join(""),
];
console.log(JSON.stringify(inputs.map((text) => ({ text, base64: LZString.compressToBase64(text) })), null, 1));
