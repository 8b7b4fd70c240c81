// Waiting without sleeping blindly: every wait of the tests is bounded.
'use strict';

function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }

// Polls `predicate` until it returns a truthy value (returned) or `timeoutMs` passes.
async function waitFor(what, predicate, { timeoutMs = 15000, everyMs = 100 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

// Runs `concurrency` loops of `step(i, worker)` until `maxRequests` steps ran
// or `maxSeconds` passed, whichever first; returns every step's result.
async function boundedLoad({ concurrency, maxRequests, maxSeconds, step }) {
  const results = [];
  const deadline = Date.now() + maxSeconds * 1000;
  let next = 0;
  async function worker(w) {
    while (next < maxRequests && Date.now() < deadline) {
      const i = next++;
      const started = Date.now();
      try {
        results.push({ i, worker: w, started, ...(await step(i, w)), ended: Date.now() });
      } catch (error) {
        results.push({ i, worker: w, started, ok: false, error: String(error), ended: Date.now() });
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  return results;
}

module.exports = { sleep, waitFor, boundedLoad };
