import { expect, it } from 'vitest';
import * as unionpay from './index';

it('exports the UnionPay connector, its config parser and its protocol helpers, and nothing of the emulator', () => {
  expect(Object.keys(unionpay).sort()).toEqual([
    'UNIONPAY_CN_NAME',
    'UNIONPAY_PATHS',
    'UNIONPAY_PRODUCTION_ENDPOINT',
    'UNIONPAY_VERSION',
    'buildFrontForm',
    'checkUnionpayCertificate',
    'commonName',
    'createUnionpayConnector',
    'formatChinaTime',
    'parseChinaTime',
    'parseUnionpayConfig',
    'signFields',
    'signString',
    'verifyFields',
    'verifyUnionpayMessage',
  ]);
});
