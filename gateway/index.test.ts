import { expect, it } from 'vitest';
import * as gateway from './index';

it('exports exactly the public gateway API', () => {
  expect(Object.keys(gateway).sort()).toEqual([
    'DEFAULT_PORT',
    'DEFAULT_WIDGET_DIR',
    'DEMO_APP',
    'JOURNAL_FILE',
    'RESULT_CODES',
    'createGateway',
    'createMemoryStore',
    'listen',
    'loadApps',
    'openJournalStore',
    'openPostgresStore',
    'parseApps',
    'startGateway',
  ]);
});
