import { App } from 'aws-cdk-lib';
import { buildLoginBridge } from '../lib/app';
import { StackConfigurationError } from '../lib/config';

try {
  buildLoginBridge(new App());
} catch (error) {
  // A configuration mistake is the user's to fix: show the message naming the key, not a stack trace.
  if (!(error instanceof StackConfigurationError)) throw error;
  console.error(error.message);
  process.exit(1);
}
