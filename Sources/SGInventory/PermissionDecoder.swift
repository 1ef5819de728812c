import SGModel

/// The model's decoder of EC2's permission fields, under the name the inventory has always used
/// (`EC2Permission` is the one home of EC2's wire conventions).
public typealias PermissionDecoder = EC2Permission
