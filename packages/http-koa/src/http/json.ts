import type Koa from 'koa';

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * Answers JSON text with its status. Koa sends the same for an object body, but looks the
 * content type up by name on every response; the bench's bare handler answers this way too.
 */
export const answerJson = (ctx: Koa.Context, status: number, text: string): void => {
  ctx.status = status;
  ctx.set('Content-Type', JSON_TYPE);
  ctx.body = text;
};

export const respondJson = (ctx: Koa.Context, status: number, body: unknown): void => answerJson(ctx, status, JSON.stringify(body));
