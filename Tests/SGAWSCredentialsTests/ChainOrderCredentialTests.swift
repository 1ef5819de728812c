import Foundation
import SGTestSupport
import Testing
@testable import SGAWS
@testable import SGAWSCredentials
@testable import SGAWSServices

/// The order of the sources and where the shared files are, compared with boto3; and the error
/// that lists every source when none serves.
@Suite("credential chain order")
struct ChainOrderCredentialTests {
    @Test("AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE move both files; keys from each file keep their method")
    func relocatedFiles() async throws {
        let workspace = try CredentialWorkspace()
        // Decoys where the files would be without the variables.
        try workspace.write("[default]\naws_access_key_id = AKIADECOY00000000001\naws_secret_access_key = d\n", to: ".aws/credentials")
        try workspace.write("[profile ops]\naws_access_key_id = AKIADECOY00000000002\naws_secret_access_key = d\n", to: ".aws/config")
        workspace.environment["AWS_SHARED_CREDENTIALS_FILE"] = try workspace.write(
            "[default]\naws_access_key_id = AKIARELOCATEDCREDS01\naws_secret_access_key = c\naws_session_token = t\n", to: "elsewhere/creds")
        workspace.environment["AWS_CONFIG_FILE"] = try workspace.write(
            "[profile ops]\naws_access_key_id = AKIARELOCATEDCONFIG1\naws_secret_access_key = c\n", to: "elsewhere/conf")
        let fromCredentials = try await workspace.resolve()
        #expect(fromCredentials.accessKeyID == "AKIARELOCATEDCREDS01")
        #expect(fromCredentials.sessionToken == "t")
        #expect(fromCredentials.source == "profile default in \(workspace.home.path)/elsewhere/creds")
        expectAgreement(fromCredentials, try await workspace.boto3())
        let fromConfig = try await workspace.resolve(profile: "ops")
        #expect(fromConfig.method == .configFile)
        expectAgreement(fromConfig, try await workspace.boto3(profile: "ops"))
    }

    @Test("environment keys win over AWS_PROFILE; --profile wins over environment keys")
    func environmentAndProfile() async throws {
        let workspace = try CredentialWorkspace()
        try workspace.write("[ops]\naws_access_key_id = AKIAOPSPROFILE000001\naws_secret_access_key = o\n", to: ".aws/credentials")
        workspace.environment.merge(["AWS_ACCESS_KEY_ID": "AKIAENVIRONMENT00001", "AWS_SECRET_ACCESS_KEY": "e",
                                     "AWS_PROFILE": "ops"]) { _, new in new }
        let fromEnvironment = try await workspace.resolve()
        #expect(fromEnvironment.method == .environment)
        expectAgreement(fromEnvironment, try await workspace.boto3())
        let named = try await workspace.resolve(profile: "ops")
        #expect(named.accessKeyID == "AKIAOPSPROFILE000001")
        expectAgreement(named, try await workspace.boto3(profile: "ops"))
    }

    @Test("nothing serves: the error names every source tried, in order, with its reason; boto3 finds nothing either")
    func exhausted() async throws {
        let workspace = try CredentialWorkspace()
        let home = workspace.home.path
        await #expect(throws: AWSClientError.credentials("no AWS credentials found; tried, in the AWS CLI's order: "
            + "environment (AWS_ACCESS_KEY_ID is not set); "
            + "profile default (not defined in \(home)/.aws/config or \(home)/.aws/credentials); "
            + "web identity (AWS_WEB_IDENTITY_TOKEN_FILE is not set and profile default has no web_identity_token_file); "
            + "ECS container (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set); "
            + "EC2 instance metadata (AWS_EC2_METADATA_DISABLED is true)")) {
            try await workspace.resolve()
        }
        #expect(try await workspace.boto3().error?.hasPrefix("NoCredentialsError") == true)

        // A profile that exists but holds no credentials: each of its sources is listed.
        try workspace.write("[profile bare]\nregion = eu-west-1\n", to: ".aws/config")
        await #expect(throws: AWSClientError.credentials("no AWS credentials found; tried, in the AWS CLI's order: "
            + "assume role (profile bare has no role_arn); "
            + "web identity (profile bare has no web_identity_token_file); "
            + "IAM Identity Center (profile bare has no sso_account_id or sso_role_name); "
            + "shared credentials file (no aws_access_key_id for profile bare in \(home)/.aws/credentials); "
            + "credential_process (profile bare has none); "
            + "config file (no aws_access_key_id for profile bare in \(home)/.aws/config); "
            + "ECS container (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set); "
            + "EC2 instance metadata (AWS_EC2_METADATA_DISABLED is true)")) {
            try await workspace.resolve(profile: "bare")
        }
        #expect(try await workspace.boto3(profile: "bare").error?.hasPrefix("NoCredentialsError") == true)
    }

    @Test("the profile's endpoint_url and services section place the service endpoints, below the variables")
    func configuredEndpoints() throws {
        let workspace = try CredentialWorkspace()
        try workspace.write("""
            [default]
            endpoint_url = http://127.0.0.1:4001
            services = local
            [services local]
            ec2 =
              endpoint_url = http://127.0.0.1:4002
            [profile unknown-services]
            services = missing
            [profile ignoring]
            endpoint_url = http://127.0.0.1:4001
            ignore_configured_endpoint_urls = true
            """, to: ".aws/config")
        let session = try AWSSession.resolve(options: AWSSessionOptions(), system: workspace.system)
        #expect(try session.queryClient(for: .ec2).endpoint.absoluteString == "http://127.0.0.1:4002")
        #expect(try session.queryClient(for: .cloudFormation).endpoint.absoluteString == "http://127.0.0.1:4001")
        workspace.environment["AWS_ENDPOINT_URL_CLOUDFORMATION"] = "http://127.0.0.1:4003"
        let withVariable = try AWSSession.resolve(options: AWSSessionOptions(), system: workspace.system)
        #expect(try withVariable.queryClient(for: .cloudFormation).endpoint.absoluteString == "http://127.0.0.1:4003")
        let ignoring = try AWSSession.resolve(options: AWSSessionOptions(profile: "ignoring"), system: workspace.system)
        #expect(try ignoring.queryClient(for: .sts).endpoint.absoluteString == "https://sts.us-east-1.amazonaws.com")
        #expect(throws: AWSClientError.configuration("profile unknown-services names services section 'missing', which "
            + "\(workspace.home.path)/.aws/config does not define")) {
            try AWSSession.resolve(options: AWSSessionOptions(profile: "unknown-services"), system: workspace.system)
        }
    }
}
