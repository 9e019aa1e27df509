// The vad web page: plain ES modules, no build step. It talks to the same HTTP API as any client.
const $ = (selector) => document.querySelector(selector);
const state = { workflows: [], current: null, images: [], fitFiles: [], lastFitModel: null, webcam: null };

function apiKey() {
  return localStorage.getItem('vadApiKey') || '';
}

/** For URLs the browser fetches itself (img src), which cannot carry a header. */
function withKey(url) {
  return apiKey() ? `${url}${url.includes('?') ? '&' : '?'}api_key=${encodeURIComponent(apiKey())}` : url;
}

async function api(path, options = {}) {
  const headers = { ...(options.headers || {}) };
  if (apiKey()) headers.authorization = `Bearer ${apiKey()}`;
  const response = await fetch(path, { ...options, headers });
  if (response.status === 401) {
    $('#api-key-box').hidden = false;
    $('#api-key').focus();
  }
  return response;
}

async function apiJson(path, options = {}) {
  const response = await api(path, options);
  const body = await response.json().catch(() => ({ message: `HTTP ${response.status}` }));
  if (!response.ok) throw Object.assign(new Error(body.message || `HTTP ${response.status}`), { body, status: response.status });
  return body;
}

function errorText(error) {
  const body = error.body;
  if (!body) return error.message;
  return [body.error_type && `${body.error_type}: `, body.message, body.inner_error_message && body.inner_error_message !== body.message ? `\n↳ ${body.inner_error_message}` : ''].filter(Boolean).join('');
}

function setMessage(element, text, isError = false) {
  element.textContent = text;
  element.classList.toggle('error', isError);
}

// ---------- readiness ----------
async function pollReadiness() {
  const pill = $('#status');
  try {
    const response = await fetch('/readiness');
    const body = await response.json();
    pill.className = `pill ${body.status === 'ready' ? 'ready' : 'starting'}`;
    pill.textContent = body.status === 'ready' ? 'ready' : `starting: ${(body.pending || []).join(', ')}`;
    if (body.status !== 'ready') setTimeout(pollReadiness, 2000);
  } catch {
    pill.className = 'pill';
    pill.textContent = 'server unreachable';
    setTimeout(pollReadiness, 3000);
  }
}

// ---------- workflows and their graph ----------
async function loadWorkflows(select) {
  const { workflows } = await apiJson('/vad/workflows');
  state.workflows = workflows;
  const menu = $('#workflow-select');
  menu.innerHTML = '';
  for (const workflow of workflows) {
    const option = document.createElement('option');
    option.value = `${workflow.workspace}/${workflow.id}`;
    option.textContent = `${workflow.workspace} / ${workflow.id}`;
    menu.append(option);
  }
  if (select) menu.value = select;
  await chooseWorkflow(menu.value);
}

async function chooseWorkflow(key) {
  state.current = state.workflows.find((w) => `${w.workspace}/${w.id}` === key) || null;
  $('#workflow-description').textContent = state.current?.description || '';
  // A bundled workflow that needs a model the user has not provided yet says how to provide it.
  const needs = $('#workflow-needs');
  needs.innerHTML = '';
  for (const missing of state.current?.missing || []) {
    const line = document.createElement('p');
    line.innerHTML = `<strong>Needs ${missing.kind === 'detector' ? 'your detector' : 'the model'} <code></code>.</strong> `;
    line.querySelector('code').textContent = missing.name;
    line.append(missing.how);
    needs.append(line);
  }
  needs.hidden = needs.childElementCount === 0;
  renderGraph(state.current?.specification);
  renderParameters(state.current?.specification);
  updateRunButton();
  await renderModelChoices(state.current?.specification);
}

function selectorSource(value) {
  const match = /^\$(inputs|steps)\.([A-Za-z0-9_-]+)/.exec(value);
  return match ? `${match[1] === 'inputs' ? 'input' : 'step'}:${match[2]}` : null;
}

/** Lays the definition out in columns by depth (inputs, steps, outputs) and draws it as SVG. */
function renderGraph(specification) {
  const container = $('#graph');
  container.innerHTML = '';
  if (!specification) return;
  const nodes = new Map();
  const edges = [];
  for (const input of specification.inputs || []) nodes.set(`input:${input.name}`, { kind: 'input', label: input.name, type: input.type, depth: 0 });
  const steps = specification.steps || [];
  for (const step of steps) nodes.set(`step:${step.name}`, { kind: 'step', label: step.name, type: step.type.replace(/^roboflow_core\//, ''), depth: 1 });
  for (const step of steps) {
    const sources = new Set();
    const visit = (value) => {
      if (typeof value === 'string') { const source = selectorSource(value); if (source && nodes.has(source)) sources.add(source); }
      else if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === 'object') Object.values(value).forEach(visit);
    };
    for (const [key, value] of Object.entries(step)) if (key !== 'type' && key !== 'name') visit(value);
    for (const source of sources) edges.push([source, `step:${step.name}`]);
  }
  // Depth: one more than the deepest source (steps are few; repeat until stable).
  for (let pass = 0; pass < steps.length; pass++) {
    for (const [from, to] of edges) nodes.get(to).depth = Math.max(nodes.get(to).depth, nodes.get(from).depth + 1);
  }
  const lastDepth = Math.max(1, ...[...nodes.values()].map((n) => n.depth)) + 1;
  for (const output of specification.outputs || []) {
    nodes.set(`output:${output.name}`, { kind: 'output', label: output.name, type: 'output', depth: lastDepth });
    const source = selectorSource(output.selector || '');
    if (source && nodes.has(source)) edges.push([source, `output:${output.name}`]);
  }
  const columns = new Map();
  for (const node of nodes.values()) {
    const column = columns.get(node.depth) || [];
    node.row = column.length;
    column.push(node);
    columns.set(node.depth, column);
  }
  const width = 150, height = 38, gapX = 40, gapY = 14, pad = 10;
  const rows = Math.max(...[...columns.values()].map((c) => c.length));
  const svgWidth = pad * 2 + (lastDepth + 1) * width + lastDepth * gapX;
  const svgHeight = pad * 2 + rows * height + (rows - 1) * gapY;
  const position = (node) => {
    const column = columns.get(node.depth);
    const offset = ((rows - column.length) * (height + gapY)) / 2;
    return { x: pad + node.depth * (width + gapX), y: pad + offset + node.row * (height + gapY) };
  };
  const escape = (text) => String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
  const shorten = (text, max) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
  let svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${svgWidth} ${svgHeight}" role="img"><defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#8a94a6" stroke="none"/></marker></defs>`;
  for (const [from, to] of edges) {
    const a = position(nodes.get(from)), b = position(nodes.get(to));
    const x1 = a.x + width, y1 = a.y + height / 2, x2 = b.x - 2, y2 = b.y + height / 2, mid = (x1 + x2) / 2;
    svg += `<path d="M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}"/>`;
  }
  for (const [id, node] of nodes) {
    const { x, y } = position(node);
    svg += `<g class="node ${node.kind}" data-id="${escape(id)}"><rect x="${x}" y="${y}" width="${width}" height="${height}"/>` +
      `<text x="${x + 8}" y="${y + 15}">${escape(shorten(node.label, 22))}</text><text class="type" x="${x + 8}" y="${y + 29}">${escape(shorten(node.type, 26))}</text></g>`;
  }
  container.innerHTML = `${svg}</svg>`;
}

function renderParameters(specification) {
  const box = $('#parameters');
  box.innerHTML = '';
  for (const input of specification?.inputs || []) {
    if (input.type !== 'WorkflowParameter' && input.type !== 'InferenceParameter') continue;
    const label = document.createElement('label');
    label.textContent = `${input.name} `;
    const field = document.createElement('input');
    field.name = input.name;
    field.dataset.parameter = input.name;
    field.value = input.default_value === undefined ? '' : typeof input.default_value === 'string' ? input.default_value : JSON.stringify(input.default_value);
    field.size = 14;
    label.append(field);
    box.append(label);
  }
}

// PatchCore steps name their model literally; the page lets you pick another fitted model and
// then runs the definition inline (POST /workflows/run) with that model written in.
async function renderModelChoices(specification) {
  for (const step of specification?.steps || []) {
    if (step.type !== 'vad/patchcore@v1') continue;
    const label = document.createElement('label');
    label.textContent = `${step.name} model `;
    const select = document.createElement('select');
    select.dataset.modelStep = step.name;
    const names = new Set([step.model]);
    try {
      for (const model of (await apiJson('/vad/models')).models) names.add(model.name);
    } catch { /* the list is a convenience */ }
    for (const name of names) {
      const option = document.createElement('option');
      option.value = option.textContent = name;
      select.append(option);
    }
    select.value = step.model;
    label.append(select);
    $('#parameters').append(label);
  }
}

async function setModel(model) {
  for (const select of document.querySelectorAll('[data-model-step]')) {
    if (![...select.options].some((o) => o.value === model)) {
      const option = document.createElement('option');
      option.value = option.textContent = model;
      select.append(option);
    }
    select.value = model;
  }
}

/** The definition with any model choices written in, or null when nothing changed. */
function editedSpecification() {
  const specification = state.current.specification;
  let changed = false;
  const steps = specification.steps.map((step) => {
    const select = document.querySelector(`[data-model-step="${step.name}"]`);
    if (!select || select.value === step.model) return step;
    changed = true;
    return { ...step, model: select.value };
  });
  return changed ? { ...specification, steps } : null;
}

function parameterValues() {
  const values = {};
  for (const field of document.querySelectorAll('[data-parameter]')) {
    if (field.value === '') continue;
    try { values[field.dataset.parameter] = JSON.parse(field.value); } catch { values[field.dataset.parameter] = field.value; }
  }
  return values;
}

function imageInputName(specification) {
  return (specification?.inputs || []).find((i) => i.type === 'WorkflowImage' || i.type === 'InferenceImage')?.name || 'image';
}

// ---------- choosing images ----------
function readAsBase64(blob) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(',')[1]);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

async function setImages(blobs) {
  state.images = await Promise.all(blobs.map(async (blob) => ({ name: blob.name || 'image', base64: await readAsBase64(blob), url: URL.createObjectURL(blob) })));
  const chosen = $('#chosen');
  chosen.innerHTML = '';
  for (const image of state.images) {
    const img = document.createElement('img');
    img.src = image.url;
    img.alt = image.name;
    chosen.append(img);
  }
  updateRunButton();
}

function updateRunButton() {
  $('#run-button').disabled = !state.current || state.images.length === 0;
}

// ---------- running and showing results ----------
async function runWorkflow() {
  if (!state.current) return;
  const message = $('#run-message');
  setMessage(message, 'running…');
  const started = performance.now();
  const images = state.images.map((image) => ({ type: 'base64', value: image.base64 }));
  const inputs = { ...parameterValues(), [imageInputName(state.current.specification)]: images.length === 1 ? images[0] : images };
  const specification = editedSpecification();
  try {
    const body = await apiJson(specification ? '/workflows/run' : `/${state.current.workspace}/workflows/${state.current.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ inputs, enable_profiling: true, ...(specification && { specification }) }),
    });
    renderOutputs(body.outputs);
    setMessage(message, `done in ${Math.round(performance.now() - started)} ms`);
  } catch (error) {
    setMessage(message, errorText(error), true);
  }
}

function isImageValue(value) {
  return value && typeof value === 'object' && value.type === 'base64' && typeof value.value === 'string';
}

function renderOutputs(outputs) {
  const box = $('#outputs');
  box.innerHTML = '';
  outputs.forEach((record, index) => {
    const section = document.createElement('div');
    section.className = 'record';
    const images = document.createElement('div');
    images.className = 'images';
    const values = {};
    for (const [name, value] of Object.entries(record)) {
      if (isImageValue(value)) {
        const figure = document.createElement('figure');
        const img = document.createElement('img');
        img.src = `data:image/jpeg;base64,${value.value}`;
        img.alt = name;
        img.dataset.output = name;
        const caption = document.createElement('figcaption');
        caption.textContent = name;
        figure.append(img, caption);
        images.append(figure);
      } else {
        values[name] = value;
      }
    }
    const verdict = record.is_anomalous ?? record.anomalous;
    if (typeof verdict === 'boolean') {
      const p = document.createElement('p');
      p.className = `verdict ${verdict ? 'bad' : 'good'}`;
      p.textContent = `${outputs.length > 1 ? `image ${index + 1}: ` : ''}${verdict ? 'anomalous' : 'normal'}${typeof record.score === 'number' ? ` (score ${record.score.toFixed(3)})` : ''}`;
      section.append(p);
    }
    section.append(images);
    if (Object.keys(values).length > 0) {
      const pre = document.createElement('pre');
      pre.textContent = JSON.stringify(values, null, 2);
      section.append(pre);
    }
    box.append(section);
  });
}

// ---------- webcam, through the stream endpoint ----------
async function toggleWebcam() {
  const button = $('#webcam-button');
  if (state.webcam) {
    state.webcam.stop();
    state.webcam = null;
    button.textContent = 'Use the webcam';
    return;
  }
  if (!state.current) return;
  const video = $('#webcam');
  let media;
  try {
    media = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 } });
  } catch (error) {
    setMessage($('#run-message'), `no webcam: ${error.message}`, true);
    return;
  }
  video.srcObject = media;
  video.hidden = false;
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const socket = new WebSocket(`${scheme}://${location.host}/vad/stream${apiKey() ? `?api_key=${encodeURIComponent(apiKey())}` : ''}`);
  socket.binaryType = 'arraybuffer';
  const canvas = document.createElement('canvas');
  let running = true;
  const sendFrame = () => {
    if (!running || socket.readyState !== WebSocket.OPEN || !video.videoWidth) return setTimeout(sendFrame, 100);
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext('2d').drawImage(video, 0, 0);
    canvas.toBlob(async (blob) => socket.send(await blob.arrayBuffer()), 'image/jpeg', 0.85);
  };
  socket.onopen = () => socket.send(JSON.stringify({ type: 'start', workspace: state.current.workspace, workflow_id: state.current.id, inputs: parameterValues() }));
  socket.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (message.type === 'ready') sendFrame();
    else if (message.type === 'result') {
      renderOutputs([message.outputs]);
      setMessage($('#run-message'), `frame ${message.frame}: ${message.ms} ms`);
      sendFrame();
    } else if (message.type === 'error') {
      setMessage($('#run-message'), `${message.error_type}: ${message.message}`, true);
      setTimeout(sendFrame, 500);
    }
  };
  state.webcam = {
    stop() {
      running = false;
      socket.close();
      media.getTracks().forEach((track) => track.stop());
      video.hidden = true;
    },
  };
  button.textContent = 'Stop the webcam';
}

// ---------- fitting, with progress from Server-Sent Events ----------
async function readEvents(response, onEvent) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block.split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('\n');
      if (data) onEvent(JSON.parse(data));
    }
  }
}

async function streamFit(path, body, progress, message) {
  progress.hidden = false;
  progress.value = 0;
  const response = await api(path, { method: 'POST', headers: { accept: 'text/event-stream' }, body });
  if (!response.ok) {
    const error = await response.json().catch(() => ({ message: `HTTP ${response.status}` }));
    throw Object.assign(new Error(error.message), { body: error });
  }
  let outcome = null;
  await readEvents(response, (event) => {
    if (event.type === 'progress') {
      progress.value = event.fraction;
      setMessage(message, `${event.phase}: ${event.done}/${event.total}`);
    } else if (event.type === 'done') {
      progress.value = 1;
      outcome = event;
    } else if (event.type === 'error') {
      throw Object.assign(new Error(event.message), { body: event });
    }
  });
  if (!outcome) throw new Error('the fit ended without a result');
  return outcome;
}

function chooseFitFiles(files) {
  state.fitFiles = [...files].filter((file) => /\.(png|jpe?g|bmp|webp|tiff?)$/i.test(file.name));
  $('#fit-count').textContent = `${state.fitFiles.length} image${state.fitFiles.length === 1 ? '' : 's'} chosen`;
  $('#fit-button').disabled = state.fitFiles.length === 0;
}

async function fitModel() {
  const name = $('#fit-name').value.trim();
  const form = new FormData();
  form.append('name', name);
  form.append('options', JSON.stringify({ preset: $('#fit-preset').value }));
  for (const file of state.fitFiles) form.append('images', file, file.name);
  $('#fit-selection').hidden = true;
  const message = $('#fit-message');
  $('#fit-button').disabled = true;
  try {
    const done = await streamFit('/vad/models/fit', form, $('#fit-progress'), message);
    setMessage(message, `model "${done.model}" fitted in ${done.seconds} s`);
    if (done.metadata?.selection) showSelection(done.metadata.selection);
    state.lastFitModel = done.model;
    $('#fit-try').hidden = false;
    await loadModels();
  } catch (error) {
    setMessage(message, errorText(error), true);
  } finally {
    $('#fit-button').disabled = state.fitFiles.length === 0;
  }
}

// `auto`: what was tried on the synthetic defects, the winner marked, and why it won.
function showSelection(selection) {
  const table = $('#fit-selection');
  table.replaceChildren();
  const caption = table.createCaption();
  caption.textContent = `auto chose ${selection.winner}: ${selection.reason} (${selection.heldOut} held-out images, ${selection.syntheticDefects} synthetic defects)`;
  const row = (cells, tag) => {
    const tr = document.createElement('tr');
    for (const text of cells) {
      const cell = document.createElement(tag);
      cell.textContent = text;
      tr.append(cell);
    }
    table.append(tr);
    return tr;
  };
  row(['candidate', 'pixel AUROC', 'AUPRO', 'image AUROC', 'time'], 'th');
  for (const candidate of selection.candidates) {
    const { pixelAuroc, aupro, imageAuroc } = candidate.validation;
    const tr = row([candidate.name, pixelAuroc.toFixed(3), aupro.toFixed(3), imageAuroc.toFixed(3), `${candidate.seconds.toFixed(1)} s`], 'td');
    if (candidate.name === selection.winner) tr.className = 'winner';
  }
  table.hidden = false;
}

async function tryModel(model) {
  await loadWorkflows('examples/patchcore-inspection');
  await setModel(model);
  document.querySelector('#run').scrollIntoView({ behavior: 'smooth' });
  if (state.images.length > 0) await runWorkflow();
}

async function loadModels() {
  const list = $('#models');
  try {
    const { models } = await apiJson('/vad/models');
    list.innerHTML = '';
    if (models.length === 0) list.innerHTML = '<li class="muted">none yet</li>';
    for (const model of models) {
      const item = document.createElement('li');
      item.textContent = `${model.name} (${model.type}, ${(model.bytes / 1e6).toFixed(1)} MB)`;
      const use = document.createElement('button');
      use.textContent = 'try';
      use.onclick = () => tryModel(model.name);
      const remove = document.createElement('button');
      remove.textContent = 'delete';
      remove.onclick = async () => {
        await apiJson(`/vad/models/${encodeURIComponent(model.name)}`, { method: 'DELETE' });
        loadModels();
      };
      item.append(use, remove);
      list.append(item);
    }
  } catch (error) {
    list.innerHTML = `<li class="error">${errorText(error)}</li>`;
  }
}

// ---------- the one-click demo ----------
async function runDemo() {
  const button = $('#demo-button');
  const message = $('#demo-message');
  button.disabled = true;
  try {
    setMessage(message, 'making the demo images…');
    const demo = await apiJson('/vad/demo');
    const gallery = $('#demo-gallery');
    gallery.innerHTML = '';
    const pick = async (item, img) => {
      gallery.querySelectorAll('img').forEach((other) => other.classList.toggle('selected', other === img));
      const blob = await (await api(item.url)).blob();
      blob.name = item.url.split('/').pop();
      await setImages([blob]);
      await runWorkflow();
    };
    for (const item of demo.test) {
      const figure = document.createElement('figure');
      const img = document.createElement('img');
      img.src = withKey(item.url);
      img.alt = `${item.label} test image`;
      img.dataset.label = item.label;
      img.onclick = () => pick(item, img);
      const caption = document.createElement('figcaption');
      caption.textContent = item.label;
      figure.append(img, caption);
      gallery.append(figure);
    }
    if (!demo.model_ready) {
      setMessage(message, 'fitting PatchCore on 16 good plates…');
      const done = await streamFit('/vad/demo/fit', undefined, $('#demo-progress'), message);
      setMessage(message, `fitted in ${done.seconds} s — click any plate to test it`);
    } else {
      setMessage(message, 'demo model ready — click any plate to test it');
    }
    await loadModels();
    await loadWorkflows(`${demo.workflow.workspace}/${demo.workflow.id}`);
    await setModel(demo.model);
    const first = demo.test.findIndex((item) => item.label !== 'good');
    await pick(demo.test[first], gallery.querySelectorAll('img')[first]);
  } catch (error) {
    setMessage(message, errorText(error), true);
  } finally {
    button.disabled = false;
  }
}

// ---------- wiring ----------
function wire() {
  $('#api-key').value = apiKey();
  $('#api-key').addEventListener('change', (event) => {
    localStorage.setItem('vadApiKey', event.target.value);
    start();
  });
  $('#workflow-select').addEventListener('change', (event) => chooseWorkflow(event.target.value));
  $('#file-input').addEventListener('change', (event) => setImages([...event.target.files]));
  const zone = $('#drop-zone');
  zone.addEventListener('dragover', (event) => { event.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('over');
    setImages([...event.dataTransfer.files].filter((file) => file.type.startsWith('image/')));
  });
  $('#run-button').addEventListener('click', runWorkflow);
  $('#webcam-button').addEventListener('click', toggleWebcam);
  $('#fit-folder').addEventListener('change', (event) => chooseFitFiles(event.target.files));
  $('#fit-files').addEventListener('change', (event) => chooseFitFiles(event.target.files));
  $('#fit-button').addEventListener('click', fitModel);
  $('#fit-try').addEventListener('click', () => tryModel(state.lastFitModel));
  $('#demo-button').addEventListener('click', runDemo);
}

async function start() {
  pollReadiness();
  try {
    await loadWorkflows();
    await loadModels();
  } catch (error) {
    setMessage($('#run-message'), errorText(error), true);
  }
}

wire();
start();
