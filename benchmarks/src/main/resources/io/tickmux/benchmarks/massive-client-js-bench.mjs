// The ThroughputHarness's JavaScript contender: the official @massive.com/client-js on Node, one
// websocketClient(...).stocks() per connection, JSON.parse on every frame, every event counted
// and folded into the same checksum as the Java receivers (t % 1000 + q % 1,000,000).
// Usage: node massive-client-js-bench.mjs <config.json>
//   config: {"base": "ws://127.0.0.1:PORT", "connections": [{"key": "...", "subscribe": "..."}]}
// Prints "ready" once every connection streams; on stdin "mark" prints
// "mark <trades> <quotes> <checksum> <errors>", "quit" exits.
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { websocketClient } from "@massive.com/client-js";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
let trades = 0, quotes = 0, checksum = 0, errors = 0;
const streaming = new Array(config.connections.length).fill(false);
let ready = false;

config.connections.forEach((c, index) => {
  const ws = websocketClient(c.key, config.base).stocks();
  ws.onmessage = ({ data }) => {
    let messages;
    try {
      messages = JSON.parse(data);
    } catch (e) {
      errors++;
      return;
    }
    let events = 0;
    for (const m of messages) {
      const ev = m.ev;
      if (ev === "T") {
        events++;
        trades++;
        checksum += (m.t % 1000) + (m.q > 0 ? m.q % 1000000 : 0);
      } else if (ev === "Q") {
        events++;
        quotes++;
        checksum += (m.t % 1000) + (m.q > 0 ? m.q % 1000000 : 0);
      } else if (ev === "status" && m.status === "auth_success") {
        ws.send(c.subscribe);
      }
    }
    if (!streaming[index] && events > 0) {
      streaming[index] = true;
      if (!ready && streaming.every(Boolean)) {
        ready = true;
        process.stdout.write("ready\n");
      }
    }
  };
  ws.onerror = () => errors++;
});

createInterface({ input: process.stdin }).on("line", (line) => {
  if (line === "mark") {
    process.stdout.write(`mark ${trades} ${quotes} ${checksum} ${errors}\n`);
  } else if (line === "quit") {
    process.exit(0);
  }
});
