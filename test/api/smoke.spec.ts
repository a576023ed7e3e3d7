import { startTestApp, TestApp } from '@quire/testing';

describe('smoke', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp({ label: 'smoke' }); });
  afterAll(async () => { await t?.close(); });

  it('answers me', async () => {
    const { client } = await t.person([]);
    const data = await client.data<{ me: { displayName: string } }>('{ me { displayName } }');
    expect(data.me.displayName).toMatch(/Person/);
  });
});
