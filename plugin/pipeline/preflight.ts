/**
 * Pre-flight: every operation checks the rule values that name it (models exist and load, files are
 * readable) before any asset is touched. A problem is a config error (exit 2) naming the rule.
 */
import { ConfigError, firstLine } from '../config/errors';
import { ruleValue } from '../config/resolve';
import type { SourcedRule } from '../config/types';
import { listOperations } from '../ops/registry';
import type { CheckServices, RuleIssue } from '../ops/types';
import { hashValue } from '../state/hash';

export async function preflight(rules: SourcedRule[], services: CheckServices): Promise<void> {
  const checked = new Set<string>();
  for (const { rule, source } of rules) {
    for (const op of listOperations()) {
      const value = ruleValue(rule, op);
      if (value === undefined || value === false || !op.check) continue;
      const once = hashValue({ op: op.key, value });
      if (checked.has(once)) continue;
      checked.add(once);
      let issue: RuleIssue | void;
      try {
        issue = await op.check(value, services);
      } catch (err) {
        issue = { message: firstLine(err) };
      }
      if (issue) {
        const at = [`rules.${source.replace(/^.*#/, '')}`, op.key, ...(issue.field ? [issue.field] : [])].join('.');
        throw new ConfigError(`${source.replace(/#(\d+)$/, '')}: ${at}: ${issue.message}`);
      }
    }
  }
}
