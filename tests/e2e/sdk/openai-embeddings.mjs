// Drives the official OpenAI SDK (openai, unchanged) against an embeddings server: its default
// call (which asks for base64 and decodes it), an explicit float call, and a refused key. Prints
// one JSON object for tst_officialsdks to check.
// Usage: node openai-embeddings.mjs BASE_URL API_KEY   (BASE_URL ends in /v1)
import OpenAI from "openai";

const [baseURL, apiKey] = process.argv.slice(2);
const client = new OpenAI({ apiKey, baseURL, maxRetries: 0, timeout: 20000 });
const input = ["The first chunk of a document.", "A second, different chunk."];
const out = {};

const byDefault = await client.embeddings.create({ model: "text-embedding-3-small", input });
out.model = byDefault.model;
out.usage = byDefault.usage;
out.defaultVectors = byDefault.data.map((item) => ({ index: item.index, embedding: Array.from(item.embedding) }));
const asFloats = await client.embeddings.create({ model: "text-embedding-3-small", input, encoding_format: "float", dimensions: 256 });
out.floatDimensions = asFloats.data.map((item) => item.embedding.length);

try {
    await new OpenAI({ apiKey: "sk-wrong-key-0123456789", baseURL, maxRetries: 0 }).embeddings.create({ model: "text-embedding-3-small", input });
    out.wrongKey = "accepted";
} catch (error) {
    out.wrongKey = `${error.constructor.name} ${error.status}`;
}
console.log(JSON.stringify(out));
