import { CfnResource, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** The CloudFormation resources a stack itself holds (a nested stack counts as one resource of its parent). */
export function resourceCount(stack: Stack): number {
  return stack.node.findAll().filter((construct) => CfnResource.isCfnResource(construct) && Stack.of(construct) === stack).length;
}

/**
 * Makes synth fail, naming the stack, when the stack that holds `root`, or
 * any stack nested under `root`, holds more than `budget` resources (a host
 * stack's own resources count too: CloudFormation's limit is per stack). Runs
 * at synth time, after every construct (Lambda permissions, alarms) has been
 * added.
 */
export function enforceResourceBudget(root: IConstruct, budget: number): void {
  root.node.addValidation({
    validate: () => {
      const home = Stack.of(root);
      const stacks = [home, ...root.node.findAll().filter((construct: IConstruct): construct is Stack => Stack.isStack(construct) && construct !== home)];
      return stacks.flatMap((stack) => {
        const count = resourceCount(stack);
        return count > budget
          ? [
              `${stack.node.path} holds ${count} CloudFormation resources, over the budget of ${budget} (CloudFormation refuses more than 500 per stack). Split its routes into another area (lib/constructs/route-areas.ts).`,
            ]
          : [];
      });
    },
  });
}
