// Copies the socket.io client's browser build into dist/, which web/server.py
// serves as /static/socket.io.min.js. Run by `npm run build` (scripts/lib.sh).
const fs = require("fs");
const path = require("path");

const source = path.join(__dirname, "node_modules", "socket.io-client", "dist");
const target = path.join(__dirname, "dist");
fs.mkdirSync(target, { recursive: true });
for (const file of ["socket.io.min.js", "socket.io.min.js.map"]) {
  fs.copyFileSync(path.join(source, file), path.join(target, file));
}
console.log(`copied the socket.io client ${require("socket.io-client/package.json").version} into dist/`);
