import type { Hono } from 'hono';
import { zValidator } from '@hono/zod-validator';
import { PolicyChangeRequest, type PolicyApplyResponse, type PolicyStatusResponse, type ReevaluationResponse } from '../api/api-schemas.js';
import { BorderlineError } from '../errors/borderline-error.js';
import { PolicyFileError } from '../policy/load-policy-file.js';

/** A policy change the tracker cannot make here (a read-only policy file, a preview already running): answered 409. */
export class PolicyChangeRefused extends BorderlineError {}

/** What the policy endpoints need (docs/policy-changes.md): the tracker's policy, a dry run, and an apply. */
export interface PolicyControl {
  status(): Promise<PolicyStatusResponse>;
  /** Validates `text` (PolicyFileError), then computes exactly what applying it would change, changing nothing. */
  preview(text: string, file: string): Promise<ReevaluationResponse>;
  /** Validates `text`, writes it over the tracker's policy file and restarts the tracker under it (as SIGHUP does). */
  apply(text: string, file: string): Promise<PolicyApplyResponse>;
}

/**
 * GET /api/v1/policy, POST /api/v1/policy/preview and POST /api/v1/policy/apply (docs/api.md). A policy
 * that fails validation is answered 400 with one problem per line (file:line: key: rule).
 */
export function mountPolicyRoutes(api: Hono, control: PolicyControl | undefined): void {
  const body = zValidator('json', PolicyChangeRequest, (result, c) => {
    if (!result.success)
      return c.json({ error: `body: ${result.error.issues[0]?.path.join('.') || 'policy'}: ${result.error.issues[0]?.message}` }, 400);
    return undefined;
  });
  const refused = (error: unknown) => {
    if (error instanceof PolicyFileError) return { status: 400 as const, body: { error: error.message, problems: error.problems } };
    if (error instanceof PolicyChangeRefused) return { status: 409 as const, body: { error: error.message } };
    throw error;
  };
  api.get('/policy', async (c) => (control ? c.json(await control.status()) : c.json({ error: 'no policy control here' }, 404)));
  api.post('/policy/preview', body, async (c) => {
    if (!control) return c.json({ error: 'no policy control here' }, 404);
    const { policy, file } = c.req.valid('json');
    try {
      return c.json(await control.preview(policy, file ?? '(request)'));
    } catch (error) {
      const answer = refused(error);
      return c.json(answer.body, answer.status);
    }
  });
  api.post('/policy/apply', body, async (c) => {
    if (!control) return c.json({ error: 'no policy control here' }, 404);
    const { policy, file } = c.req.valid('json');
    try {
      return c.json(await control.apply(policy, file ?? '(request)'), 202);
    } catch (error) {
      const answer = refused(error);
      return c.json(answer.body, answer.status);
    }
  });
}
