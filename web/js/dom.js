// Small DOM helpers: elements are built with textContent, never innerHTML, so text from the
// archive (titles, OCR text, names) cannot inject markup.

// el('a', {href: 'x', class: 'y'}, 'text', otherNode) -> <a href="x" class="y">text…</a>
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) {
      continue;
    }
    node.setAttribute(name, value === true ? '' : String(value));
  }
  appendChildren(node, children);
  return node;
}

// Appends `children` (nodes, text, nested arrays) to `node`, leaving out null, undefined and false.
export function appendChildren(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// `node`'s children replaced by `children` (same rules as appendChildren).
export function replaceChildren(node, ...children) {
  node.replaceChildren();
  return appendChildren(node, children);
}

const svgNamespace = 'http://www.w3.org/2000/svg';

export function svg(tag, attributes = {}, ...children) {
  const node = document.createElementNS(svgNamespace, tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined) {
      node.setAttribute(name, String(value));
    }
  }
  return appendChildren(node, children);
}

// Text with matches marked «like this» (as the search API returns snippets) -> nodes with <mark>.
export function markedText(text) {
  const nodes = [];
  const pattern = /«([^»]*)»/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) {
      nodes.push(document.createTextNode(text.slice(last, match.index)));
    }
    nodes.push(el('mark', {}, match[1]));
    last = match.index + match[0].length;
  }
  if (last < text.length) {
    nodes.push(document.createTextNode(text.slice(last)));
  }
  return nodes;
}

// A status line in `container` (role="status" so screen readers announce it).
export function showMessage(container, text, kind = 'info') {
  container.replaceChildren(el('p', { class: `message message-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text));
}
