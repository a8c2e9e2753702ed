import { expect, type APIRequestContext, type Locator, type Page } from '@playwright/test';

function auth(token: string) {
  return { Authorization: `Bearer ${token}` };
}

export type Lead = { id: string; name: string; score: number };

export async function createLeadViaApi(
  request: APIRequestContext,
  token: string,
  body: Record<string, unknown>,
): Promise<Lead> {
  const res = await request.post('/api/v1/leads', { headers: auth(token), data: body });
  expect(res.status(), await res.text()).toBe(201);
  return res.json();
}

/** The signed-in user's id. */
async function myId(request: APIRequestContext, token: string): Promise<string> {
  const res = await request.get('/api/v1/me', { headers: auth(token) });
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()).id;
}

/**
 * An assignment rule for leads of one `industry`, handing them to the
 * caller, so that it places no other test's leads.
 */
export async function createRuleViaApi(
  request: APIRequestContext,
  token: string,
  body: { position: number; industry: string },
): Promise<{ id: string; industry: string; position: number }> {
  const res = await request.post('/api/v1/lead-assignment-rules', {
    headers: auth(token),
    data: { ...body, user_ids: [await myId(request, token)] },
  });
  expect(res.status(), await res.text()).toBe(201);
  return res.json();
}

/** The lead setup page: web forms and assignment rules. */
export class LeadSetup {
  readonly rules: Locator;

  constructor(readonly page: Page) {
    this.rules = page.getByTestId('lead-rule-row');
  }

  rule(text: string): Locator {
    return this.rules.filter({ hasText: text });
  }

  /**
   * -1 when the rule mentioning `a` comes before the one mentioning `b`, 1
   * when after, 0 while either is not listed (the list is being read).
   */
  async order(a: string, b: string): Promise<number> {
    const texts = await this.rules.allInnerTexts();
    const i = texts.findIndex((t) => t.includes(a));
    const j = texts.findIndex((t) => t.includes(b));
    if (i < 0 || j < 0) return 0;
    return i < j ? -1 : 1;
  }
}
