// The API documentation page: fetches the OpenAPI document (same origin, the login session)
// and renders its operations, parameters, bodies, responses and schemas. No framework, no
// inline script, and the document's text is only ever set as text (textContent, text nodes).
"use strict";

(function () {
  const root = document.getElementById("api-docs");
  if (!root) return;

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v;
      else node.setAttribute(k, v);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function refName(ref) {
    return ref.split("/").pop();
  }

  let spec = null;

  function resolve(obj) {
    // A $ref to a component (schema or response), followed once.
    if (obj && obj.$ref) {
      const parts = obj.$ref.replace(/^#\//, "").split("/");
      let target = spec;
      for (const p of parts) target = target && target[p];
      return target || {};
    }
    return obj || {};
  }

  function typeText(schema) {
    if (!schema) return "";
    if (schema.$ref) return refName(schema.$ref);
    if (schema.oneOf) return schema.oneOf.map(typeText).join(" | ");
    if (schema.type === "array") return typeText(schema.items || {}) + "[]";
    let t = schema.type || "any";
    if (schema.format) t += " (" + schema.format + ")";
    if (schema.nullable) t += " | null";
    return t;
  }

  function constraints(schema) {
    const out = [];
    if (!schema) return out;
    if (schema.enum) out.push("取值：" + schema.enum.join(" / "));
    if (schema.minimum !== undefined || schema.maximum !== undefined) {
      out.push("范围：" + (schema.minimum ?? "") + "–" + (schema.maximum ?? ""));
    }
    if (schema.maxLength !== undefined) out.push("最长 " + schema.maxLength);
    if (schema.pattern) out.push("格式：" + schema.pattern);
    if (schema.default !== undefined) out.push("默认：" + JSON.stringify(schema.default));
    if (schema.example !== undefined) out.push("例：" + JSON.stringify(schema.example));
    return out;
  }

  function schemaLink(schema) {
    const name = schema && schema.$ref ? refName(schema.$ref) : null;
    if (name) return el("a", { href: "#schema-" + name }, name);
    if (schema && schema.type === "array" && schema.items && schema.items.$ref) {
      return el("span", {}, el("a", { href: "#schema-" + refName(schema.items.$ref) }, refName(schema.items.$ref)), "[]");
    }
    if (schema && schema.oneOf) {
      const parts = [];
      schema.oneOf.forEach((s, i) => {
        if (i) parts.push(" 或 ");
        parts.push(schemaLink(s));
      });
      return el("span", {}, parts);
    }
    return el("code", {}, typeText(schema));
  }

  function paramsTable(params) {
    if (!params.length) return null;
    return el("table", { class: "grid api-params" },
      el("thead", {}, el("tr", {}, el("th", {}, "参数"), el("th", {}, "位置"), el("th", {}, "类型"), el("th", {}, "说明"))),
      el("tbody", {}, params.map((p) => el("tr", {},
        el("td", {}, el("code", {}, p.name), p.required ? el("span", { class: "tag warn" }, "必填") : null),
        el("td", {}, p.in),
        el("td", {}, el("code", {}, typeText(p.schema))),
        el("td", {}, [p.description || "", ...constraints(p.schema)].filter(Boolean).join("；"))))));
  }

  function responsesList(responses) {
    return el("ul", { class: "api-responses" }, Object.entries(responses).map(([code, r]) => {
      const resp = resolve(r);
      const content = resp.content && resp.content["application/json"];
      return el("li", {}, el("strong", {}, code), " ", resp.description || "",
        content ? el("span", {}, " → ", schemaLink(content.schema)) : null);
    }));
  }

  function operation(path, method, op) {
    const body = op.requestBody && op.requestBody.content && op.requestBody.content["application/json"];
    const details = el("details", { class: "api-op", id: "op-" + op.operationId },
      el("summary", {},
        el("span", { class: "api-method api-" + method }, method.toUpperCase()), " ",
        el("code", {}, path), " ", el("span", { class: "api-summary" }, op.summary || "")),
      op.description ? el("p", { class: "api-desc" }, op.description) : null,
      paramsTable(op.parameters || []),
      body ? el("p", {}, "请求体（application/json）：", schemaLink(body.schema)) : null,
      el("p", {}, "答复："),
      responsesList(op.responses || {}));
    return details;
  }

  function schemaSection(name, schema) {
    const props = schema.properties || {};
    const required = new Set(schema.required || []);
    return el("div", { class: "card api-schema", id: "schema-" + name },
      el("h3", {}, name),
      schema.description ? el("p", { class: "hint" }, schema.description) : null,
      el("table", { class: "grid" },
        el("thead", {}, el("tr", {}, el("th", {}, "字段"), el("th", {}, "类型"), el("th", {}, "说明"))),
        el("tbody", {}, Object.entries(props).map(([field, p]) => el("tr", {},
          el("td", {}, el("code", {}, field), required.has(field) ? el("span", { class: "tag warn" }, "必有") : null,
            p.readOnly ? el("span", { class: "tag" }, "只读") : null),
          el("td", {}, schemaLink(p.items && p.type === "array" ? p : p)),
          el("td", {}, [p.description || "", ...constraints(p)].filter(Boolean).join("；")))))));
  }

  function render() {
    root.textContent = "";
    const info = spec.info || {};
    root.appendChild(el("div", { class: "card" },
      el("h2", {}, (info.title || "API") + " " + (info.version || "")),
      el("pre", { class: "api-intro" }, info.description || "")));
    const byTag = new Map();
    for (const [path, methods] of Object.entries(spec.paths || {})) {
      for (const [method, op] of Object.entries(methods)) {
        const tag = (op.tags && op.tags[0]) || "other";
        if (!byTag.has(tag)) byTag.set(tag, []);
        byTag.get(tag).push([path, method, op]);
      }
    }
    const tagNames = new Map((spec.tags || []).map((t) => [t.name, t.description]));
    const nav = el("nav", { class: "api-nav" });
    root.appendChild(nav);
    for (const [tag, ops] of byTag) {
      nav.appendChild(el("a", { href: "#tag-" + tag, class: "btn small" }, tagNames.get(tag) || tag));
      root.appendChild(el("div", { class: "card", id: "tag-" + tag },
        el("h2", {}, tagNames.get(tag) || tag), ops.map(([p, m, op]) => operation(p, m, op))));
    }
    nav.appendChild(el("a", { href: "#schemas", class: "btn small" }, "数据结构"));
    const schemas = (spec.components && spec.components.schemas) || {};
    root.appendChild(el("h2", { id: "schemas" }, "数据结构"));
    for (const name of Object.keys(schemas).sort()) root.appendChild(schemaSection(name, schemas[name]));
  }

  fetch(root.dataset.spec, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((resp) => {
      if (!resp.ok) throw new Error("HTTP " + resp.status);
      return resp.json();
    })
    .then((doc) => {
      spec = doc;
      render();
    })
    .catch((err) => {
      root.textContent = "";
      root.appendChild(el("p", { class: "flash flash-danger" }, "无法加载 API 文档：" + err.message));
    });
})();
