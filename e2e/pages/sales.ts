import { expect, type APIRequestContext, type Locator, type Page } from '@playwright/test';

export const MANAGER = 'manager.east@example.com';

type Stage = {
  id: string;
  name: string;
  kind: string;
  probability: number;
  checklist: { id: string; label: string; required: boolean }[];
};
export type Pipeline = { id: string; name: string; stages: Stage[] };
export type Deal = { id: string; name: string; version: number; stage_id: string; status: string };

function auth(token: string) {
  return { Authorization: `Bearer ${token}` };
}

/**
 * A pipeline of its own for one test (made by the admin), so that what a
 * test drags or is refused does not hang on the demo's checklists: two open
 * stages, the first with a required item, then won and lost.
 */
export async function createPipelineViaApi(
  request: APIRequestContext,
  adminToken: string,
  name: string,
): Promise<Pipeline> {
  const res = await request.post('/api/v1/pipelines', {
    headers: auth(adminToken),
    data: {
      name,
      stages: [
        {
          name: 'Discover',
          kind: 'open',
          probability: 20,
          forecast_category: 'pipeline',
          checklist: [
            { label: 'Budget confirmed', required: true },
            { label: 'Met the buyer', required: false },
          ],
        },
        { name: 'Propose', kind: 'open', probability: 60, forecast_category: 'best_case', checklist: [] },
        { name: 'Won', kind: 'won', probability: 100, forecast_category: 'closed', checklist: [] },
        { name: 'Lost', kind: 'lost', probability: 0, forecast_category: 'omitted', checklist: [] },
      ],
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  return res.json();
}

export async function createDealViaApi(
  request: APIRequestContext,
  token: string,
  body: Record<string, unknown>,
): Promise<Deal> {
  const res = await request.post('/api/v1/opportunities', { headers: auth(token), data: body });
  expect(res.status(), await res.text()).toBe(201);
  return res.json();
}

export async function getDealViaApi(request: APIRequestContext, token: string, id: string) {
  const res = await request.get(`/api/v1/opportunities/${id}`, { headers: auth(token) });
  expect(res.status(), await res.text()).toBe(200);
  return res.json();
}

/** Ticks the deal's checklist item `label` as its owner would. */
export async function tickViaApi(request: APIRequestContext, token: string, id: string, label: string) {
  const deal = await getDealViaApi(request, token, id);
  const item = deal.checklist.find((c: { label: string }) => c.label === label);
  const res = await request.put(`/api/v1/opportunities/${id}/checklist/${item.item_id}`, {
    headers: { ...auth(token), 'If-Match': `"${deal.version}"` },
    data: { done: true },
  });
  expect(res.status(), await res.text()).toBe(200);
}

/** Moves the deal to another open stage as its owner would. */
export async function moveDealViaApi(request: APIRequestContext, token: string, id: string, stageId: string) {
  const deal = await getDealViaApi(request, token, id);
  const res = await request.post(`/api/v1/opportunities/${id}/move`, {
    headers: { ...auth(token), 'If-Match': `"${deal.version}"` },
    data: { stage_id: stageId },
  });
  expect(res.status(), await res.text()).toBe(200);
}

/** The deal's state as the API sees it. */
export async function dealStage(request: APIRequestContext, token: string, id: string): Promise<string> {
  return (await getDealViaApi(request, token, id)).stage_id;
}

/** A loss reason to choose (made by the admin, so it exists whatever the seed holds). */
export async function createLossReasonViaApi(request: APIRequestContext, adminToken: string, label: string) {
  const res = await request.post('/api/v1/loss-reasons', { headers: auth(adminToken), data: { label } });
  expect(res.status(), await res.text()).toBe(201);
  return res.json();
}

/** A date `days` from today, `YYYY-MM-DD` (UTC). */
export function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** The pipeline board. */
export class Board {
  readonly board: Locator;
  readonly columns: Locator;
  readonly refused: Locator;
  readonly missing: Locator;

  constructor(readonly page: Page) {
    this.board = page.getByTestId('board');
    this.columns = page.getByTestId('board-column');
    this.refused = page.getByTestId('move-refused');
    this.missing = page.getByTestId('missing-item');
  }

  async goto(pipelineId: string) {
    await this.page.goto(`/pipeline?pipeline=${pipelineId}&owner=me`);
  }

  column(stageId: string): Locator {
    return this.page.locator(`[data-drop-stage="${stageId}"]`);
  }

  card(name: string): Locator {
    return this.page.getByTestId('deal-card').filter({ hasText: name });
  }
}
