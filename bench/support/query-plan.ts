import type { Query } from 'mongoose';

/**
 * A query's plan in one line: the winning stages with the index that serves each, and the
 * keys and documents it examined; a server that explains in another shape is printed raw.
 */
export async function planOf(query: Query<unknown, unknown>): Promise<string> {
  const explained = (await query.explain('executionStats')) as unknown as Record<string, any>;
  const planner = explained.queryPlanner ?? {};
  if (planner.winningPlan) {
    const stages: string[] = [];
    const walk = (stage: Record<string, any> | undefined): void => {
      if (!stage) return;
      stages.push(stage.indexName ? `${stage.stage}(${stage.indexName})` : String(stage.stage));
      walk(stage.inputStage);
      for (const input of stage.inputStages ?? []) walk(input);
    };
    walk(planner.winningPlan.queryPlan ?? planner.winningPlan);
    const stats = explained.executionStats ?? {};
    return `${stages.join(' < ')}; keys examined ${stats.totalKeysExamined}, docs examined ${stats.totalDocsExamined}`;
  }
  const flags = ['filterPushdown', 'sortPushdown', 'limitPushdown'].map((flag) => `${flag}=${String(explained[flag])}`);
  return `${JSON.stringify(planner.Plan ?? planner)}; ${flags.join(' ')}`;
}
