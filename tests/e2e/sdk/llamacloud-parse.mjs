// Drives the official LlamaCloud SDK (@llamaindex/llama-cloud, unchanged) against a LlamaParse
// server: the one-shot parse() (multipart upload, polling, markdown and text pages), then
// create/get/cancel step by step, then a refused key. Prints one JSON object for
// tst_officialsdks to check. Usage: node llamacloud-parse.mjs BASE_URL API_KEY PDF_PATH
import fs from "node:fs";
import LlamaCloud from "@llamaindex/llama-cloud";

const [baseURL, apiKey, pdfPath] = process.argv.slice(2);
const client = new LlamaCloud({ apiKey, baseURL, maxRetries: 0, timeout: 20000 });
const polling = { pollingInterval: 0.05, maxInterval: 0.2, backoff: "constant", timeout: 60 };
const out = {};

const parsed = await client.parsing.parse(
    { tier: "agentic", version: "latest", upload_file: fs.createReadStream(pdfPath), expand: ["markdown", "text"] },
    polling);
out.status = parsed.job.status;
out.tier = parsed.job.tier;
out.markdownPages = parsed.markdown.pages;
out.textPages = parsed.text.pages;

// Step by step, and cancelled before it ends: the mock's control API (not the SDK) keeps this
// job running.
await fetch(`${baseURL}/_mock/faults`, {
    method: "POST",
    body: JSON.stringify({ faults: [{ route: "parse_upload", fault: "never_finish", count: 1 }] }),
});
const created = await client.parsing.create({ tier: "fast", version: "2026-08-19", upload_file: fs.createReadStream(pdfPath) });
out.createdStatus = created.status;
out.idPrefix = created.id.slice(0, 4);
out.polledStatus = (await client.parsing.get(created.id)).job.status;
out.cancelledStatus = (await client.parsing.cancel(created.id)).status;
try {
    await client.parsing.waitForCompletion(created.id, {}, polling);
    out.waitAfterCancel = "completed";
} catch (error) {
    out.waitAfterCancel = error.name;
}

try {
    await new LlamaCloud({ apiKey: "llx-wrong", baseURL, maxRetries: 0 }).parsing.get(created.id);
    out.wrongKey = "accepted";
} catch (error) {
    out.wrongKey = `${error.constructor.name} ${error.status}`;
}
console.log(JSON.stringify(out));
