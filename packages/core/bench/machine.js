'use strict';
/** What the benchmarks report about the machine they ran on (shared by every bench). */
const fs = require('node:fs');

/** Busy CPU time of the whole machine so far, in ms (Linux /proc/stat), or undefined elsewhere. */
const machineBusyMs = () => {
  try {
    const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = fields;
    return ((user + nice + system + irq + softirq + (steal ?? 0)) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
};

module.exports = { machineBusyMs };
