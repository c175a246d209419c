import {
  DescribeSecretCommand,
  type DescribeSecretCommandOutput,
  GetSecretValueCommand,
  type GetSecretValueCommandOutput,
  PutSecretValueCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';

interface Version {
  value?: string;
  stages: Set<string>;
}

class ResourceNotFoundException extends Error {
  override name = 'ResourceNotFoundException';
}

/**
 * The Secrets Manager behaviour rotation relies on, in memory: versions with
 * staging labels (a label sits on one version at a time; moving AWSCURRENT
 * leaves AWSPREVIOUS on the old version), and a rotation that starts by
 * registering the token as an AWSPENDING version without a value.
 */
export class FakeSecretsManager {
  readonly versions = new Map<string, Version>();
  rotationEnabled = true;
  readonly calls: string[] = [];

  constructor(initial: string) {
    this.versions.set('v0', { value: initial, stages: new Set(['AWSCURRENT']) });
  }

  startRotation(token: string): void {
    this.label('AWSPENDING', token);
  }

  valueOf(stage: string): string | undefined {
    return [...this.versions.values()].find((version) => version.stages.has(stage))?.value;
  }

  private label(stage: string, versionId: string): void {
    for (const version of this.versions.values()) version.stages.delete(stage);
    const version = this.versions.get(versionId) ?? { stages: new Set<string>() };
    version.stages.add(stage);
    this.versions.set(versionId, version);
  }

  async send(command: unknown): Promise<unknown> {
    this.calls.push((command as object).constructor.name);
    if (command instanceof DescribeSecretCommand) {
      return {
        $metadata: {},
        RotationEnabled: this.rotationEnabled,
        VersionIdsToStages: Object.fromEntries([...this.versions].filter(([, v]) => v.stages.size).map(([id, v]) => [id, [...v.stages]])),
      } satisfies DescribeSecretCommandOutput;
    }
    if (command instanceof GetSecretValueCommand) {
      const { VersionId, VersionStage } = command.input;
      const found = [...this.versions].find(
        ([id, v]) => (!VersionId || id === VersionId) && (!VersionStage || v.stages.has(VersionStage)) && v.value !== undefined,
      );
      if (!found) throw new ResourceNotFoundException('Secrets Manager can not find the specified secret value');
      return { $metadata: {}, VersionId: found[0], SecretString: found[1].value, VersionStages: [...found[1].stages] } satisfies GetSecretValueCommandOutput;
    }
    if (command instanceof PutSecretValueCommand) {
      const { ClientRequestToken, SecretString, VersionStages } = command.input;
      const existing = this.versions.get(ClientRequestToken as string);
      if (existing?.value !== undefined && existing.value !== SecretString) throw new Error('ResourceExistsException');
      this.versions.set(ClientRequestToken as string, { value: SecretString, stages: existing?.stages ?? new Set() });
      for (const stage of VersionStages ?? []) this.label(stage, ClientRequestToken as string);
      return {};
    }
    if (command instanceof UpdateSecretVersionStageCommand) {
      const { VersionStage, MoveToVersionId, RemoveFromVersionId } = command.input;
      const holder = [...this.versions].find(([, v]) => v.stages.has(VersionStage as string))?.[0];
      if (holder && holder !== MoveToVersionId && holder !== RemoveFromVersionId)
        throw new Error('InvalidParameterException: the stage is attached to another version');
      if (VersionStage === 'AWSCURRENT' && holder) this.label('AWSPREVIOUS', holder);
      this.label(VersionStage as string, MoveToVersionId as string);
      // Secrets Manager clears AWSPENDING from the version that became current.
      if (VersionStage === 'AWSCURRENT') this.versions.get(MoveToVersionId as string)?.stages.delete('AWSPENDING');
      return {};
    }
    throw new Error(`unexpected command ${(command as object).constructor.name}`);
  }
}
