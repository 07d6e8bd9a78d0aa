export { checkUnionpayCertificate, commonName, UNIONPAY_CN_NAME, type CertificateCheck, type UnionpayTrust } from './certificate';
export { parseUnionpayConfig, UNIONPAY_PRODUCTION_ENDPOINT, type UnionpayConfig, type UnionpayConfigOptions } from './config';
export { buildFrontForm, createUnionpayConnector, UNIONPAY_PATHS, type UnionpayConnectorOptions } from './connector';
export { formatChinaTime, parseChinaTime } from './fields';
export { UNIONPAY_VERSION, verifyUnionpayMessage } from './message';
export { signFields, signString, verifyFields, type UnionpayFields } from './sign';
