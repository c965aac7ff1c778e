import { describeKeyring, describeSecretsAtRest } from './secrets.suite';

describeKeyring();
describeSecretsAtRest('libsql');
