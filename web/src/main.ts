import { fetchStatus } from './status.js';

/** Placeholder until the panel lands: shows the gateway's name and version from /api/status. */
const status = await fetchStatus(fetch);
if (status) {
  document.title = status.system_name;
  const name = document.getElementById('system-name');
  const version = document.getElementById('version');
  if (name) name.textContent = status.system_name;
  if (version) version.textContent = `v${status.version}`;
}
