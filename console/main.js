// The console's page: tabs of editors (each its own session), the side panel
// of what the server holds, and the server's version in the header.
import { Catalog } from './catalog.js';
import { QueryTab } from './query-tab.js';
import { SidePanel } from './side-panel.js';

const catalog = new Catalog();
const tabList = document.getElementById('tabs');
const panels = document.getElementById('panels');
const tabs = [];
let current;

function addTab() {
  const n = tabs.length + 1;
  const tab = document.createElement('button');
  tab.type = 'button';
  tab.id = `tab-${n}`;
  tab.setAttribute('role', 'tab');
  tab.setAttribute('aria-controls', `panel-${n}`);
  tab.textContent = `Tab ${n}`;
  const panel = document.createElement('div');
  panel.id = `panel-${n}`;
  panel.className = 'panel';
  panel.setAttribute('role', 'tabpanel');
  panel.setAttribute('aria-labelledby', tab.id);
  tabList.insertBefore(tab, document.getElementById('new-tab'));
  panels.append(panel);
  const entry = { tab, panel, queryTab: new QueryTab(panel, catalog, `Tab ${n}`) };
  tabs.push(entry);
  tab.addEventListener('click', () => show(entry));
  tab.addEventListener('keydown', (e) => {
    const i = tabs.indexOf(entry);
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      const next = tabs[(i + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
      show(next);
      next.tab.focus();
    }
  });
  show(entry);
  return entry;
}

function show(entry) {
  current = entry;
  for (const t of tabs) {
    const selected = t === entry;
    t.tab.setAttribute('aria-selected', String(selected));
    t.tab.tabIndex = selected ? 0 : -1;
    t.panel.hidden = !selected;
  }
}

document.getElementById('new-tab').addEventListener('click', () => addTab().queryTab.editor.textarea.focus());
new SidePanel(document.getElementById('side'), catalog, (sql) => current.queryTab.run(sql));
addTab();

fetch('/info').then((r) => r.json()).then((info) => {
  document.getElementById('server').textContent = `ksqlDB API ${info.KsqlServerInfo.version}, service ${info.KsqlServerInfo.ksqlServiceId}`;
}, () => {});
await catalog.loadKeywords();
await catalog.refresh();
document.body.dataset.ready = 'true';
