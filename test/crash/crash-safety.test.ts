import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { crashSettingsFromEnv, describeRound, runCrashRounds } from '../helpers/crash-rounds.js';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';

const { rounds, seed } = crashSettingsFromEnv(3);

for (const kind of DATABASE_KINDS) {
  describe(`crash safety: the server killed during concurrent writes [${kind}]`, { skip: skipReason(kind) }, () => {
    const title = `${rounds} SIGKILL rounds: every acknowledged write survives, nothing is half-written, the data stays intact`;
    test(title, { timeout: 30_000 + rounds * 15_000 }, async (t) => {
      const report = await runCrashRounds({ kind, rounds, seed, onRound: (r) => t.diagnostic(describeRound(r)) });
      t.diagnostic(`seed ${report.seed}: CRASH_SEED=${report.seed} draws these kill delays and this mix of writes again`);
      const where = `seed ${report.seed}, data kept in ${report.dataDir}`;
      assert.deepEqual(report.lost, [], `acknowledged writes lost (${where})`);
      assert.deepEqual(report.broken, [], `data broken or errors answered (${where})`);
      // A round that killed an idle server, or before anything was acknowledged, would prove nothing.
      for (const round of report.rounds) {
        assert.ok(round.acknowledged > 0, `round ${round.round} had no acknowledged write before the kill`);
        assert.ok(round.inFlightAtKill > 0, `round ${round.round} killed the server with no write in flight`);
      }
    });
  });
}
