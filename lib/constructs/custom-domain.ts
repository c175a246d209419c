import { CfnOutput } from 'aws-cdk-lib';
import { BasePathMapping, DomainName, EndpointType, type RestApi, SecurityPolicy } from 'aws-cdk-lib/aws-apigateway';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { AaaaRecord, ARecord, HostedZone, RecordTarget } from 'aws-cdk-lib/aws-route53';
import { ApiGatewayDomain } from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';

export interface CustomDomainProps {
  readonly api: RestApi;
  /** login.example.com */
  readonly domainName: string;
  /** An ACM certificate in the stack's region covering domainName (a regional endpoint uses the regional certificate). */
  readonly certificateArn: string;
  /** The Route 53 hosted zone of domainName; without it, DNS stays the owner's (a CNAME to the CustomDomainTarget output). */
  readonly hostedZoneId?: string;
}

/**
 * The API on its own domain, in the stack (so `cdk diff` shows it and
 * `cdk destroy` removes it): a regional API Gateway domain name with TLS 1.2,
 * the stage mapped at its root (so https://<domain>/login-flow/login is the
 * stage's /login-flow/login), and A and AAAA alias records when the hosted
 * zone is given.
 */
export class CustomDomain extends Construct {
  public readonly domain: DomainName;
  public readonly mapping: BasePathMapping;

  constructor(scope: Construct, id: string, props: CustomDomainProps) {
    super(scope, id);
    this.domain = new DomainName(this, 'DomainName', {
      domainName: props.domainName,
      certificate: Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn),
      endpointType: EndpointType.REGIONAL,
      securityPolicy: SecurityPolicy.TLS_1_2,
    });
    this.mapping = new BasePathMapping(this, 'Mapping', { domainName: this.domain, restApi: props.api, stage: props.api.deploymentStage });
    if (props.hostedZoneId) {
      // A fully qualified record name (trailing dot): the zone's name is not needed, only its id.
      const zone = HostedZone.fromHostedZoneId(this, 'Zone', props.hostedZoneId);
      const target = RecordTarget.fromAlias(new ApiGatewayDomain(this.domain));
      new ARecord(this, 'Alias', { zone, recordName: `${props.domainName}.`, target });
      new AaaaRecord(this, 'AliasIpv6', { zone, recordName: `${props.domainName}.`, target });
    }
    new CfnOutput(this, 'Target', {
      value: this.domain.domainNameAliasDomainName,
      description: `Where ${props.domainName} points (Route 53 alias, or a CNAME in other DNS)`,
    });
  }
}
