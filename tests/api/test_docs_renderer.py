"""static/api-docs.js renders the real OpenAPI document without an error (run by Node with a
minimal DOM; skipped where Node is not installed)."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SHIM = """
const fs = require("fs");
const spec = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
class Node {
  constructor(tag) { this.tag = tag; this.children = []; this.attrs = {}; this.text = ""; this.dataset = {}; }
  appendChild(c) { this.children.push(c); return c; }
  setAttribute(k, v) { this.attrs[k] = v; }
  set textContent(v) { this.children = []; this.text = v; }
  get textContent() { return this.text + this.children.map((c) => c.textContent).join("\\n"); }
}
class Text { constructor(t) { this.t = t; } get textContent() { return this.t; } }
const root = new Node("div");
root.dataset.spec = "/api/v1/openapi.json";
global.document = { getElementById: () => root, createElement: (t) => new Node(t),
                    createTextNode: (t) => new Text(t) };
global.fetch = () => Promise.resolve({ ok: true, json: () => Promise.resolve(spec) });
require(process.argv[3]);
setTimeout(() => process.stdout.write(root.textContent), 50);
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_the_page_script_renders_every_operation_and_schema(app, tmp_path):
    from hr.api.openapi import build

    doc = build(app)
    (tmp_path / "spec.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "shim.js").write_text(SHIM, encoding="utf-8")
    out = subprocess.run(["node", str(tmp_path / "shim.js"), str(tmp_path / "spec.json"),
                          str(ROOT / "static" / "api-docs.js")], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "无法加载" not in text
    for path, ops in doc["paths"].items():
        assert path in text
        for op in ops.values():
            assert op["summary"] in text
    for name in doc["components"]["schemas"]:
        assert name in text
